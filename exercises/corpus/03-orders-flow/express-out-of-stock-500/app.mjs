import { randomUUID } from 'node:crypto';
import express from 'express';

const app = express();
const orders = new Map();
const opts = (body) => ({
  method: body ? 'POST' : 'GET',
  headers: { 'x-caller': 'orders', 'content-type': 'application/json' },
  body: body ? JSON.stringify(body) : undefined,
});

app.post('/order', async (req, res) => {
  const { user_id, item_id } = req.query;
  try {
    const user = await fetch(`${process.env.USER_SERVICE_URL}/users/${user_id}`, opts());
    if (user.status === 404) return res.status(404).json({ detail: 'User not found' });

    const id = randomUUID();
    const reservation = await fetch(
      `${process.env.INVENTORY_SERVICE_URL}/reservations`,
      opts({ order_id: id, item_id, quantity: 1 }),
    );
    if (!reservation.ok) throw new Error(`reservation failed: ${reservation.status}`);

    const order = { id, user_id, item_id };
    orders.set(id, order);
    await fetch(
      `${process.env.NOTIFICATION_SERVICE_URL}/send`,
      opts({ user_id, message: `We got your order ${id}` }),
    );
    res.status(201).json(order);
  } catch (err) {
    res.status(500).json({ detail: err.message });
  }
});

app.get('/orders/:id', (req, res) => {
  if (!orders.has(req.params.id)) return res.status(404).json({ detail: 'Order not found' });
  res.json(orders.get(req.params.id));
});

app.listen(Number(process.env.PORT), process.env.HOST);
