import { randomUUID } from 'node:crypto';
import express from 'express';

const env = process.env;
const app = express();
const orders = new Map();
const outbox = []; // { key, user_id, message }

const headers = (extra = {}) => ({ 'x-caller': 'orders', 'content-type': 'application/json', ...extra });

async function deliver(entry) {
  try {
    const r = await fetch(`${env.NOTIFICATION_SERVICE_URL}/send`, {
      method: 'POST',
      headers: headers({ 'Idempotency-Key': entry.key }),
      body: JSON.stringify({ user_id: entry.user_id, message: entry.message }),
    });
    return r.ok;
  } catch {
    return false;
  }
}

// retry whatever could not be delivered, every 2 seconds
setInterval(async () => {
  for (const entry of [...outbox]) {
    if (await deliver(entry)) outbox.splice(outbox.indexOf(entry), 1);
  }
}, 2000);

app.post('/order', async (req, res) => {
  const { user_id, item_id } = req.query;

  let user;
  try {
    user = await fetch(`${env.USER_SERVICE_URL}/users/${user_id}`, { headers: headers() });
  } catch {
    return res.status(503).json({ detail: 'user unavailable' });
  }
  if (user.status === 404) return res.status(404).json({ detail: 'User not found' });
  if (!user.ok) return res.status(503).json({ detail: 'user unavailable' });

  const id = randomUUID();
  let r;
  try {
    r = await fetch(`${env.INVENTORY_SERVICE_URL}/reservations`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ order_id: id, item_id, quantity: 1 }),
    });
  } catch {
    return res.status(503).json({ detail: 'inventory unavailable' });
  }
  if (r.status === 409) return res.status(409).json({ detail: 'Out of stock' });
  if (r.status === 404) return res.status(404).json({ detail: 'Item not found' });
  if (!r.ok) return res.status(503).json({ detail: 'inventory unavailable' });

  const order = { id, user_id, item_id };
  orders.set(id, order);
  const entry = { key: id, user_id, message: `Order ${id} confirmed` };
  if (!(await deliver(entry))) outbox.push(entry);
  res.status(201).json(order);
});

app.get('/orders/:id', (req, res) => {
  const order = orders.get(req.params.id);
  if (!order) return res.status(404).json({ detail: 'Order not found' });
  res.json(order);
});

app.listen(Number(env.PORT), env.HOST);
