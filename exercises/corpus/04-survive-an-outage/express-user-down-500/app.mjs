import { randomUUID } from 'node:crypto';
import express from 'express';

const USER_SERVICE_URL = process.env.USER_SERVICE_URL;
const INVENTORY_SERVICE_URL = process.env.INVENTORY_SERVICE_URL;
const NOTIFICATION_SERVICE_URL = process.env.NOTIFICATION_SERVICE_URL;

const app = express();
const orders = new Map();
const outbox = new Map(); // order id -> confirmation still to send

const opts = (method, body, extra = {}) => ({
  method,
  headers: { 'x-caller': 'orders', 'content-type': 'application/json', ...extra },
  body: body && JSON.stringify(body),
  signal: AbortSignal.timeout(1000),
});

async function sendConfirmation(id) {
  const c = outbox.get(id);
  try {
    const r = await fetch(
      `${NOTIFICATION_SERVICE_URL}/send`,
      opts('POST', c, { 'Idempotency-Key': `order-${id}` }),
    );
    if (r.ok) outbox.delete(id);
  } catch {}
}
setInterval(() => {
  for (const id of outbox.keys()) sendConfirmation(id);
}, 1500);

app.post('/order', async (req, res) => {
  const { user_id, item_id } = req.query;

  let userRes;
  try {
    userRes = await fetch(`${USER_SERVICE_URL}/users/${user_id}`, opts('GET'));
  } catch (e) {
    return res.status(500).json({ detail: `user service error: ${e.message}` });
  }
  if (userRes.status === 404) return res.status(404).json({ detail: 'User not found' });
  if (!userRes.ok) return res.status(500).json({ detail: `user service error: ${userRes.status}` });

  const id = randomUUID();
  let inv;
  try {
    inv = await fetch(
      `${INVENTORY_SERVICE_URL}/reservations`,
      opts('POST', { order_id: id, item_id, quantity: 1 }),
    );
  } catch {
    return res.status(503).json({ detail: 'inventory unavailable' });
  }
  if (inv.status === 409) return res.status(409).json({ detail: 'Out of stock' });
  if (inv.status === 404) return res.status(404).json({ detail: 'Item not found' });
  if (!inv.ok) return res.status(503).json({ detail: 'inventory unavailable' });

  const order = { id, user_id, item_id };
  orders.set(id, order);
  outbox.set(id, { user_id, message: `Order ${id} confirmed` });
  await sendConfirmation(id);
  res.status(201).json(order);
});

app.get('/orders/:id', (req, res) => {
  const order = orders.get(req.params.id);
  return order ? res.json(order) : res.status(404).json({ detail: 'Order not found' });
});

app.listen(Number(process.env.PORT), process.env.HOST);
