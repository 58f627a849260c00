// Orders, exercise 06, with nothing but node:http.
//
// The numbers, taken at the generous end of what the README allows:
//   - each try gets 1.5 s, but never more than what is left of the order's 4 s budget
//   - 3 tries in all, 200 ms then 400 ms apart
//   - a breaker per peer: 5 failures in a row -> refuse calls for 2 s -> one trial call

import { randomUUID } from 'node:crypto';
import http from 'node:http';

const PEERS = {
  user: process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001',
  inventory: process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002',
  notification: process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004',
};
const TRY_TIMEOUT_MS = 1500;
const ORDER_BUDGET_MS = 4000;
const WAITS_MS = [200, 400];
const MIN_TRY_MS = 300; // not worth starting a try with less than this left

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Breaker {
  failures = 0;
  openedAt = null;
  trialOut = false;
  constructor(threshold = 5, pauseMs = 2000) {
    this.threshold = threshold;
    this.pauseMs = pauseMs;
  }
  allow() {
    if (this.openedAt === null) return true;
    if (this.trialOut || Date.now() - this.openedAt < this.pauseMs) return false;
    this.trialOut = true;
    return true;
  }
  passed() {
    this.failures = 0;
    this.openedAt = null;
    this.trialOut = false;
  }
  failed() {
    this.failures++;
    if (this.trialOut || this.failures >= this.threshold) {
      this.openedAt = Date.now();
      this.trialOut = false;
    }
  }
}
const breakers = Object.fromEntries(Object.keys(PEERS).map((p) => [p, new Breaker()]));

// one HTTP exchange; rejects on a network error or when the time is up
function exchange(method, url, { body, headers = {}, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = http.request(url, {
      method,
      headers: {
        'x-caller': 'orders',
        accept: 'application/json',
        ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        ...headers,
      },
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        let data = {};
        try {
          data = JSON.parse(Buffer.concat(chunks).toString() || '{}');
        } catch {}
        resolve({ status: res.statusCode, data });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(payload);
  });
}

class Unavailable extends Error {}

async function call(peer, method, path, { body, key, deadline }) {
  const breaker = breakers[peer];
  const canRepeat = method === 'GET' || Boolean(key);
  const headers = key ? { 'Idempotency-Key': key } : {};
  const tries = canRepeat ? WAITS_MS.length + 1 : 1;
  for (let i = 0; i < tries; i++) {
    if (i > 0) await wait(WAITS_MS[i - 1]);
    const left = deadline - Date.now();
    if (left < MIN_TRY_MS) break;
    if (!breaker.allow()) break;
    try {
      const res = await exchange(method, PEERS[peer] + path, {
        body,
        headers,
        timeoutMs: Math.min(TRY_TIMEOUT_MS, left),
      });
      if (res.status < 500) {
        breaker.passed();
        return res;
      }
      breaker.failed();
      if (![502, 503, 504].includes(res.status)) break;
    } catch (_e) {
      // ECONNREFUSED, ECONNRESET, "socket hang up", our own time limit
      breaker.failed();
    }
  }
  throw new Unavailable(`${peer} unavailable`);
}

const orders = new Map();
const toConfirm = new Set();

async function confirm(order) {
  await call('notification', 'POST', '/send', {
    key: `confirm-${order.id}`,
    deadline: Date.now() + 3000,
    body: {
      user_id: order.user_id,
      message: `Thank you! Order ${order.id} (${order.item_id}) is confirmed.`,
    },
  });
  toConfirm.delete(order);
}

setInterval(() => {
  for (const order of toConfirm) confirm(order).catch(() => {});
}, 2000).unref();

async function placeOrder(userId, itemId) {
  const deadline = Date.now() + ORDER_BUDGET_MS;
  let user;
  try {
    user = await call('user', 'GET', `/users/${encodeURIComponent(userId)}`, { deadline });
  } catch (e) {
    if (e instanceof Unavailable) return [503, { detail: e.message }];
    throw e;
  }
  if (user.status === 404) return [404, { detail: 'User not found' }];
  if (user.status !== 200) return [502, { detail: `user answered ${user.status}` }];

  const id = randomUUID();
  let reservation;
  try {
    reservation = await call('inventory', 'POST', '/reservations', {
      deadline,
      key: `reserve-${id}`,
      body: { order_id: id, item_id: itemId, quantity: 1 },
    });
  } catch (e) {
    if (e instanceof Unavailable) return [503, { detail: e.message }];
    throw e;
  }
  if (reservation.status === 409) return [409, { detail: 'Out of stock' }];
  if (reservation.status === 404) return [404, { detail: 'Item not found' }];
  if (reservation.status >= 300) return [502, { detail: `inventory answered ${reservation.status}` }];

  const order = { id, user_id: userId, item_id: itemId, quantity: 1 };
  orders.set(id, order);
  toConfirm.add(order);
  confirm(order).catch(() => {}); // in the background: the answer does not wait for notification
  return [201, order];
}

const server = http.createServer(async (req, res) => {
  const reply = (status, body) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  try {
    const url = new URL(req.url ?? '/', 'http://orders');
    if (req.method === 'GET' && url.pathname === '/health') return reply(200, { status: 'ok' });
    if (req.method === 'POST' && url.pathname === '/order') {
      const userId = url.searchParams.get('user_id');
      const itemId = url.searchParams.get('item_id');
      if (!userId || !itemId) return reply(422, { detail: 'user_id and item_id are required' });
      return reply(...(await placeOrder(userId, itemId)));
    }
    const m = url.pathname.match(/^\/orders\/([^/]+)$/);
    if (req.method === 'GET' && m) {
      const order = orders.get(decodeURIComponent(m[1]));
      return order ? reply(200, order) : reply(404, { detail: 'Order not found' });
    }
    reply(404, { detail: 'Not Found' });
  } catch (e) {
    reply(500, { detail: String(e?.message ?? e) });
  }
});

server.listen(Number(process.env.PORT ?? 4003), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
