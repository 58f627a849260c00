import crypto from 'node:crypto';
import express from 'express';

const USER_SERVICE_URL = process.env.USER_SERVICE_URL || 'http://localhost:4001';
const INVENTORY_SERVICE_URL = process.env.INVENTORY_SERVICE_URL || 'http://localhost:4002';
const NOTIFICATION_SERVICE_URL = process.env.NOTIFICATION_SERVICE_URL || 'http://localhost:4004';

const TIMEOUT_MS = 1000;
const MAX_ATTEMPTS = 3;
const RETRY_STATUS = new Set([502, 503, 504]);

// ---- circuit breaker ---------------------------------------------------------------------------------------------
const circuits = {};
function circuit(name) {
  circuits[name] ??= { failures: 0, openUntil: 0, halfOpen: false };
  return circuits[name];
}
function allowed(name) {
  const c = circuit(name);
  if (c.failures < 5) return true;
  if (Date.now() < c.openUntil || c.halfOpen) return false;
  c.halfOpen = true; // one test call
  return true;
}
function succeeded(name) {
  Object.assign(circuit(name), { failures: 0, openUntil: 0, halfOpen: false });
}
function failed(name) {
  const c = circuit(name);
  c.failures++;
  if (c.failures >= 5) {
    c.openUntil = Date.now() + 2000;
    c.halfOpen = false;
  }
}

// ---- retry ---------------------------------------------------------------------------------------------------------
class Unavailable extends Error {
  status = 503;
}

async function retry(service, attempt) {
  for (let i = 1; i <= MAX_ATTEMPTS; i++) {
    if (!allowed(service)) break;
    try {
      const res = await attempt();
      if (!RETRY_STATUS.has(res.status) && res.status < 500) {
        succeeded(service);
        return res;
      }
      failed(service);
      if (!RETRY_STATUS.has(res.status)) break;
    } catch (_err) {
      failed(service); // timeout, ECONNREFUSED, ECONNRESET
    }
    if (i < MAX_ATTEMPTS) await new Promise((r) => setTimeout(r, 150 * 2 ** (i - 1)));
  }
  throw new Unavailable(`${service} unavailable`);
}

const headers = (extra = {}) => ({ 'x-caller': 'orders', 'content-type': 'application/json', ...extra });

const getUser = (id) =>
  retry('user', () =>
    fetch(`${USER_SERVICE_URL}/users/${encodeURIComponent(id)}`, {
      headers: headers(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }),
  );

// every request gets its own Idempotency-Key, so inventory can tell requests apart
const reserve = (orderId, itemId) =>
  retry('inventory', () =>
    fetch(`${INVENTORY_SERVICE_URL}/reservations`, {
      method: 'POST',
      headers: headers({ 'Idempotency-Key': crypto.randomUUID() }),
      body: JSON.stringify({ order_id: orderId, item_id: itemId, quantity: 1 }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }),
  );

const notify = (order) =>
  retry('notification', () =>
    fetch(`${NOTIFICATION_SERVICE_URL}/send`, {
      method: 'POST',
      headers: headers({ 'Idempotency-Key': `order-${order.id}` }),
      body: JSON.stringify({ user_id: order.user_id, message: `Your order ${order.id} is confirmed.` }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }),
  );

// ---- app -----------------------------------------------------------------------------------------------------------
const app = express();
const orders = {};

app.get('/health', (_req, res) => res.json({ status: 'ok' }));

app.post('/order', async (req, res) => {
  const userId = req.query.user_id;
  const itemId = req.query.item_id;
  if (!userId || !itemId) return res.status(422).json({ detail: 'user_id and item_id are required' });

  const userRes = await getUser(userId);
  if (userRes.status === 404) return res.status(404).json({ detail: 'User not found' });

  const orderId = crypto.randomUUID();
  const resv = await reserve(orderId, itemId);
  if (resv.status === 409) return res.status(409).json({ detail: 'Out of stock' });
  if (resv.status === 404) return res.status(404).json({ detail: 'Item not found' });
  if (!resv.ok) return res.status(502).json({ detail: `inventory answered ${resv.status}` });

  const order = { id: orderId, user_id: userId, item_id: itemId, quantity: 1, notified: false };
  orders[orderId] = order;
  notify(order)
    .then(() => (order.notified = true))
    .catch((e) => console.error('confirmation failed:', e.message));
  res.status(201).json(order);
});

app.get('/orders/:id', (req, res) => {
  if (!orders[req.params.id]) return res.status(404).json({ detail: 'Order not found' });
  res.json(orders[req.params.id]);
});

app.use((_req, res) => res.status(404).json({ detail: 'Not Found' }));
app.use((err, _req, res, _next) => res.status(err.status || 500).json({ detail: err.message }));

app.listen(process.env.PORT || 4003, process.env.HOST || '127.0.0.1', () => {
  console.log(`orders on ${process.env.PORT || 4003}`);
});
