// orders for exercise 06 -- Express 5, global fetch.
// every call: AbortSignal.timeout(1000); up to 3 tries, 100 ms then 200 ms apart; a breaker per peer
// (5 failures in a row opens it for 1.5 s, then one trial call). Writes are only repeated with an Idempotency-Key.

import { randomUUID } from 'node:crypto';
import express from 'express';

const USER = process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001';
const INVENTORY = process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002';
const NOTIFICATION = process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function makeBreaker(name, { threshold = 5, openMs = 1500 } = {}) {
  let failures = 0;
  let openedAt = 0;
  let state = 'closed';
  return {
    name,
    canPass() {
      if (state === 'closed') return true;
      if (state === 'open' && Date.now() - openedAt >= openMs) {
        state = 'half-open';
        return true; // trial call
      }
      return false;
    },
    success() {
      failures = 0;
      state = 'closed';
    },
    failure() {
      failures += 1;
      if (state === 'half-open' || failures >= threshold) {
        state = 'open';
        openedAt = Date.now();
      }
    },
  };
}

const breakers = {
  user: makeBreaker('user'),
  inventory: makeBreaker('inventory'),
  notification: makeBreaker('notification'),
};

class PeerUnavailable extends Error {
  constructor(peer) {
    super(`${peer} unavailable`);
    this.status = 503;
  }
}

async function callPeer(peer, url, { method = 'GET', body, key } = {}) {
  const breaker = breakers[peer];
  const tries = method === 'GET' || key ? 3 : 1;
  const headers = { 'x-caller': 'orders' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  for (let attempt = 0; attempt < tries; attempt++) {
    if (attempt > 0) await sleep(100 * 2 ** (attempt - 1));
    if (!breaker.canPass()) break;
    let res;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(1000),
      });
    } catch (err) {
      // TimeoutError (our limit), or TypeError "fetch failed" (refused, reset, socket hang up)
      console.warn(`${method} ${url}: ${err.name} ${err.cause?.code ?? err.message}`);
      breaker.failure();
      continue;
    }
    const data = await res.json().catch(() => ({}));
    if (res.status >= 500) {
      breaker.failure();
      if ([502, 503, 504].includes(res.status)) continue;
      break;
    }
    breaker.success();
    return { status: res.status, data };
  }
  throw new PeerUnavailable(peer);
}

const orders = new Map();
const unsent = new Map(); // order id -> order, confirmations to retry

async function sendConfirmation(order) {
  await callPeer('notification', `${NOTIFICATION}/send`, {
    method: 'POST',
    key: `confirmation-${order.id}`,
    body: { user_id: order.user_id, message: `Order ${order.id} confirmed (${order.item_id})` },
  });
  unsent.delete(order.id);
}

setInterval(() => {
  for (const order of unsent.values()) sendConfirmation(order).catch(() => {});
}, 1000).unref();

const app = express();

app.get('/health', (_req, res) => res.json({ status: 'ok', service: 'orders' }));

app.post('/order', async (req, res) => {
  const { user_id: userId, item_id: itemId } = req.query;
  if (!userId || !itemId) return res.status(422).json({ detail: 'user_id and item_id are required' });

  const user = await callPeer('user', `${USER}/users/${encodeURIComponent(userId)}`);
  if (user.status === 404) return res.status(404).json({ detail: 'User not found' });
  if (user.status >= 400) return res.status(502).json({ detail: `user answered ${user.status}` });

  const id = randomUUID();
  const reservation = await callPeer('inventory', `${INVENTORY}/reservations`, {
    method: 'POST',
    key: `reserve-${id}`,
    body: { order_id: id, item_id: itemId, quantity: 1 },
  });
  if (reservation.status === 409) return res.status(409).json({ detail: 'Out of stock' });
  if (reservation.status === 404) return res.status(404).json({ detail: 'Item not found' });
  if (reservation.status >= 400)
    return res.status(502).json({ detail: `inventory answered ${reservation.status}` });

  const order = { id, user_id: userId, item_id: itemId, quantity: 1, created_at: new Date().toISOString() };
  orders.set(id, order);
  unsent.set(id, order);
  try {
    await sendConfirmation(order);
  } catch {
    // stays in `unsent`; the interval sends it when notification is back
  }
  res.status(201).json(order);
});

app.get('/orders/:id', (req, res) => {
  const order = orders.get(req.params.id);
  if (!order) return res.status(404).json({ detail: 'Order not found' });
  res.json(order);
});

app.use((_req, res) => res.status(404).json({ detail: 'Not Found' }));

// Express 5 passes rejected promises of async handlers here
app.use((err, _req, res, _next) => {
  res.status(err.status ?? 500).json({ detail: err.message });
});

const server = app.listen(Number(process.env.PORT ?? 4003), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
