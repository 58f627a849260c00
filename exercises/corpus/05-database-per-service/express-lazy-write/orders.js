import { randomUUID } from 'node:crypto';
import { listen, load, app as makeApp, save } from './db.js';

const USER = process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001';
const INVENTORY = process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002';
const NOTIFICATION = process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004';
const headers = { 'content-type': 'application/json', 'x-caller': 'orders' };
const call = (url, init = {}) => fetch(url, { headers, signal: AbortSignal.timeout(2000), ...init });

const db = load({ orders: {} });
const app = makeApp();

app.post('/order', async (req, res) => {
  const { user_id, item_id } = req.query;
  const user = await call(`${USER}/users/${user_id}`);
  if (user.status !== 200) return res.status(404).json({ detail: 'User not found' });
  const id = randomUUID();
  const body = JSON.stringify({ order_id: id, item_id, quantity: 1 });
  const reservation = await call(`${INVENTORY}/reservations`, { method: 'POST', body });
  if (reservation.status === 409) return res.status(409).json({ detail: 'Out of stock' });
  if (reservation.status !== 201) return res.status(404).json({ detail: 'Item not found' });
  const order = { id, user_id, item_id };
  db.orders[id] = order;
  save(db);
  await call(`${NOTIFICATION}/send`, {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': id },
    body: JSON.stringify({ user_id, message: `Order ${id} confirmed` }),
  }).catch(() => {});
  res.status(201).json(order);
});

app.get('/orders/:id', (req, res) => {
  const order = db.orders[req.params.id];
  if (!order) return res.status(404).json({ detail: 'Order not found' });
  res.json(order);
});

listen(app, 4003);
