// Orders service on Express 5, calling the other services with the global fetch.
import { randomUUID } from 'node:crypto';
import express from 'express';

const USER_URL = process.env.USER_SERVICE_URL;
const INVENTORY_URL = process.env.INVENTORY_SERVICE_URL;
const NOTIFICATION_URL = process.env.NOTIFICATION_SERVICE_URL;

const callHeaders = { 'x-caller': 'orders', 'content-type': 'application/json' };
const orders = new Map();

const app = express();

app.post('/order', async (req, res) => {
  const { user_id: userId, item_id: itemId } = req.query;
  if (!userId || !itemId) return res.status(422).json({ detail: 'user_id and item_id are required' });

  const user = await fetch(`${USER_URL}/users/${encodeURIComponent(userId)}`, { headers: callHeaders });
  if (user.status === 404) return res.status(404).json({ detail: 'User not found' });
  if (!user.ok) return res.status(502).json({ detail: 'user service failed' });

  const id = randomUUID();
  const reservation = await fetch(`${INVENTORY_URL}/reservations`, {
    method: 'POST',
    headers: callHeaders,
    body: JSON.stringify({ order_id: id, item_id: itemId, quantity: 1 }),
  });
  if (reservation.status === 409) return res.status(409).json({ detail: 'Out of stock' });
  if (reservation.status === 404) return res.status(404).json({ detail: 'Item not found' });
  if (!reservation.ok) return res.status(502).json({ detail: 'inventory service failed' });

  const order = { id, user_id: userId, item_id: itemId, status: 'placed' };
  orders.set(id, order);

  await fetch(`${NOTIFICATION_URL}/send`, {
    method: 'POST',
    headers: callHeaders,
    body: JSON.stringify({ user_id: userId, message: `Order ${id} confirmed (item ${itemId})` }),
  });
  res.status(201).json(order);
});

app.get('/orders/:id', (req, res) => {
  const order = orders.get(req.params.id);
  if (!order) return res.status(404).json({ detail: 'Order not found' });
  res.json(order);
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, process.env.HOST ?? '127.0.0.1', () => console.log(`orders listening on ${port}`));
