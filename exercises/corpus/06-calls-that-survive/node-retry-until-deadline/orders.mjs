// orders -- exercise 06
// Each call to a peer keeps trying until it works or its 3 s are used up (so the order stays under 5 s whatever
// happens), with exponential backoff from 100 ms capped at 300 ms, a 1 s timeout per try, and a circuit breaker
// in front: when the peer's breaker is open the call fails at once.

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const env = process.env;
const URLS = {
  user: env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001',
  inventory: env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002',
  notification: env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004',
};
const CALL_BUDGET_MS = 3000;
const TRY_TIMEOUT_MS = 1000;

function breaker() {
  return {
    failures: 0,
    openedAt: null,
    probing: false,
    canCall() {
      if (this.openedAt === null) return true;
      if (this.probing || Date.now() - this.openedAt < 4000) return false;
      this.probing = true;
      return true;
    },
    ok() {
      this.failures = 0;
      this.openedAt = null;
      this.probing = false;
    },
    fail() {
      this.failures += 1;
      if (this.failures >= 5) this.openedAt = Date.now();
      this.probing = false;
    },
  };
}
const breakers = { user: breaker(), inventory: breaker(), notification: breaker() };

class PeerDown extends Error {}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function callPeer(peer, path, { method = 'GET', json, idempotencyKey } = {}) {
  const b = breakers[peer];
  if (!b.canCall()) throw new PeerDown(`${peer} unavailable`);
  const headers = { 'x-caller': 'orders' };
  if (json) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const repeatable = method === 'GET' || Boolean(idempotencyKey);

  const deadline = Date.now() + CALL_BUDGET_MS;
  let delay = 100;
  while (true) {
    try {
      const res = await fetch(URLS[peer] + path, {
        method,
        headers,
        body: json ? JSON.stringify(json) : undefined,
        signal: AbortSignal.timeout(TRY_TIMEOUT_MS),
      });
      const body = await res.json().catch(() => null);
      if (res.status < 500) {
        b.ok();
        return { status: res.status, body };
      }
      b.fail();
      if (![502, 503, 504].includes(res.status)) break;
    } catch {
      b.fail();
    }
    if (!repeatable || Date.now() + delay >= deadline) break;
    await pause(delay);
    delay = Math.min(delay * 2, 300);
  }
  throw new PeerDown(`${peer} unavailable`);
}

const orders = new Map();
const outbox = new Map();

async function sendConfirmation(order) {
  await callPeer('notification', '/send', {
    method: 'POST',
    idempotencyKey: `confirm-${order.id}`,
    json: { user_id: order.user_id, message: `Order ${order.id} confirmed` },
  });
  outbox.delete(order.id);
}
setInterval(() => {
  for (const o of outbox.values()) sendConfirmation(o).catch(() => {});
}, 3000).unref();

async function handleOrder(userId, itemId) {
  const user = await callPeer('user', `/users/${encodeURIComponent(userId)}`);
  if (user.status === 404) return [404, { detail: 'User not found' }];

  const id = randomUUID();
  const r = await callPeer('inventory', '/reservations', {
    method: 'POST',
    idempotencyKey: `reserve-${id}`,
    json: { order_id: id, item_id: itemId, quantity: 1 },
  });
  if (r.status === 409) return [409, { detail: 'Out of stock' }];
  if (r.status === 404) return [404, { detail: 'Item not found' }];
  if (r.status >= 400) return [502, { detail: `inventory answered ${r.status}` }];

  const order = { id, user_id: userId, item_id: itemId, quantity: 1 };
  orders.set(id, order);
  outbox.set(id, order);
  sendConfirmation(order).catch(() => {});
  return [201, order];
}

createServer(async (req, res) => {
  const json = (status, body) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const url = new URL(req.url, 'http://localhost');
  try {
    if (req.method === 'GET' && url.pathname === '/health') return json(200, { status: 'ok' });
    if (req.method === 'POST' && url.pathname === '/order') {
      const userId = url.searchParams.get('user_id');
      const itemId = url.searchParams.get('item_id');
      if (!userId || !itemId) return json(422, { detail: 'user_id and item_id are required' });
      const [status, body] = await handleOrder(userId, itemId);
      return json(status, body);
    }
    if (req.method === 'GET' && url.pathname.startsWith('/orders/')) {
      const order = orders.get(decodeURIComponent(url.pathname.slice('/orders/'.length)));
      return order ? json(200, order) : json(404, { detail: 'Order not found' });
    }
    json(404, { detail: 'Not Found' });
  } catch (e) {
    if (e instanceof PeerDown) return json(503, { detail: e.message });
    json(500, { detail: 'internal error' });
  }
}).listen(Number(env.PORT ?? 4003), env.HOST ?? '127.0.0.1');
