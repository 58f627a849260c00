// Orders (exercise 06), grown from starter/orders.ts: node:http, fetch, and an opossum breaker per peer.
// - opossum's own timeout (1 s) on every call
// - retries around breaker.fire(): 3 tries, 100 ms then 200 ms apart; writes only when they carry an Idempotency-Key
// - the breaker opens once 5 calls have been made and more than half failed (with nothing else going on: 5 failures
//   in a row), refuses for 2 s, then lets one trial call through (halfOpen)

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import CircuitBreaker from 'opossum';

const USER = process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001';
const INVENTORY = process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002';
const NOTIFICATION = process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004';

type Peer = 'user' | 'inventory' | 'notification';
type Answer = { status: number; body: unknown };

class ServerError extends Error {
  constructor(public status: number) {
    super(`answered ${status}`);
  }
}

// the action each breaker protects: one HTTP call; a 5xx is a failure, any other answer is an answer
async function httpCall(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: {
      'x-caller': 'orders',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(1500), // opossum gives up at 1 s; this only cleans up the socket afterwards
  });
  const data = await res.json().catch(() => ({}));
  if (res.status >= 500) throw new ServerError(res.status);
  return { status: res.status, body: data };
}

const breakerOptions: CircuitBreaker.Options = {
  timeout: 1000,
  volumeThreshold: 5,
  errorThresholdPercentage: 50,
  resetTimeout: 2000,
  rollingCountTimeout: 10000,
};
const breakers: Record<Peer, CircuitBreaker<Parameters<typeof httpCall>, Answer>> = {
  user: new CircuitBreaker(httpCall, { ...breakerOptions, name: 'user' }),
  inventory: new CircuitBreaker(httpCall, { ...breakerOptions, name: 'inventory' }),
  notification: new CircuitBreaker(httpCall, { ...breakerOptions, name: 'notification' }),
};
for (const [name, b] of Object.entries(breakers)) {
  b.on('open', () => console.warn(`breaker ${name}: open`));
  b.on('halfOpen', () => console.warn(`breaker ${name}: half open`));
  b.on('close', () => console.warn(`breaker ${name}: closed`));
}

class Unavailable extends Error {
  constructor(public peer: Peer) {
    super(`${peer} unavailable`);
  }
}

function worthRetrying(err: unknown): boolean {
  if (err instanceof ServerError) return [502, 503, 504].includes(err.status);
  return true; // ETIMEDOUT from opossum, TypeError "fetch failed" (refused, reset, socket hang up)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function callPeer(
  peer: Peer,
  method: string,
  url: string,
  body?: unknown,
  key?: string,
): Promise<Answer> {
  const tries = method === 'GET' || key ? 3 : 1;
  const headers: Record<string, string> = key ? { 'Idempotency-Key': key } : {};
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      return await breakers[peer].fire(method, url, body, headers);
    } catch (err) {
      if ((err as { code?: string })?.code === 'EOPENBREAKER' || !worthRetrying(err) || attempt === tries)
        throw new Unavailable(peer);
      await sleep(100 * 2 ** (attempt - 1));
    }
  }
  throw new Unavailable(peer);
}

const orders = new Map<string, { id: string; user_id: string; item_id: string; quantity: number }>();
const unconfirmed = new Map<string, { user_id: string; message: string }>();

async function confirm(orderId: string) {
  const msg = unconfirmed.get(orderId);
  if (!msg) return;
  await callPeer('notification', 'POST', `${NOTIFICATION}/send`, msg, `confirm-${orderId}`);
  unconfirmed.delete(orderId);
}
setInterval(() => {
  for (const id of unconfirmed.keys()) confirm(id).catch(() => {});
}, 1500).unref();

async function placeOrder(userId: string, itemId: string): Promise<[number, unknown]> {
  const user = await callPeer('user', 'GET', `${USER}/users/${encodeURIComponent(userId)}`);
  if (user.status === 404) return [404, { detail: 'User not found' }];
  if (user.status >= 400) return [502, { detail: `user answered ${user.status}` }];

  const id = randomUUID();
  const reservation = await callPeer(
    'inventory',
    'POST',
    `${INVENTORY}/reservations`,
    { order_id: id, item_id: itemId, quantity: 1 },
    `reserve-${id}`,
  );
  if (reservation.status === 409) return [409, { detail: 'Out of stock' }];
  if (reservation.status === 404) return [404, { detail: 'Item not found' }];
  if (reservation.status >= 400) return [502, { detail: `inventory answered ${reservation.status}` }];

  const order = { id, user_id: userId, item_id: itemId, quantity: 1 };
  orders.set(id, order);
  unconfirmed.set(id, { user_id: userId, message: `Order ${id} is confirmed: 1 x ${itemId}` });
  await confirm(id).catch(() => console.warn(`confirmation of ${id} postponed`));
  return [201, order];
}

const server = createServer(async (req, res) => {
  const send = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://orders');
  try {
    if (req.method === 'GET' && pathname === '/health') return send(200, { status: 'ok', service: 'orders' });
    if (req.method === 'POST' && pathname === '/order') {
      const [userId, itemId] = [searchParams.get('user_id'), searchParams.get('item_id')];
      if (!userId || !itemId) return send(422, { detail: 'user_id and item_id are required' });
      return send(...(await placeOrder(userId, itemId)));
    }
    const m = /^\/orders\/([^/]+)$/.exec(pathname);
    if (req.method === 'GET' && m) {
      const order = orders.get(decodeURIComponent(m[1] ?? ''));
      return order ? send(200, order) : send(404, { detail: 'Order not found' });
    }
    send(404, { detail: 'Not Found' });
  } catch (err) {
    if (err instanceof Unavailable) return send(503, { detail: err.message });
    send(500, { detail: String(err) });
  }
});

server.listen(Number(process.env.PORT ?? 4003), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
