// Your orders service: it works while the network does. Make its calls survive a bad one (see ../README.md): the
// grader runs it with PORT and USER_SERVICE_URL, INVENTORY_SERVICE_URL, NOTIFICATION_SERVICE_URL pointing at its own
// services through the playground, whose fault lab makes them hang, fail or cut the connection.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const peers = {
  user: process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001',
  inventory: process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002',
  notification: process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004',
};
type Peer = keyof typeof peers;
type Answer = { status: number; body: unknown };

/**
 * One call to a peer. TODO (tasks 1-5): a timeout on every call; retries with a growing wait for reads and for
 * writes that carry an Idempotency-Key; at most 4 tries; stop calling a peer that keeps failing (a circuit breaker).
 */
async function call(peer: Peer, path: string, init: { method?: string; body?: unknown; key?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-caller': 'orders' };
  if (init.key) headers['idempotency-key'] = init.key;
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const response = await fetch(peers[peer] + path, { method: init.method ?? 'GET', headers, body });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

const orders = new Map<string, { id: string; user_id: string; item_id: string; quantity: number }>();

async function placeOrder(user_id: string, item_id: string): Promise<Answer> {
  // TODO (task 6): when a peer fails or cannot be reached, answer 503 {"detail": "<peer> unavailable"}.
  const user = await call('user', `/users/${encodeURIComponent(user_id)}`);
  if (user.status === 404) return { status: 404, body: { detail: 'User not found' } };
  if (user.status !== 200) return { status: 502, body: { detail: `user answered ${user.status}` } };

  const order = { id: randomUUID(), user_id, item_id, quantity: 1 };
  const reserved = await call('inventory', '/reservations', {
    method: 'POST',
    body: { order_id: order.id, item_id, quantity: 1 },
  });
  if (reserved.status === 404) return { status: 404, body: { detail: 'Item not found' } };
  if (reserved.status === 409) return { status: 409, body: { detail: 'Out of stock' } };
  if (reserved.status >= 300)
    return { status: 502, body: { detail: `inventory answered ${reserved.status}` } };
  orders.set(order.id, order);

  await call('notification', '/send', {
    method: 'POST',
    body: { user_id, message: `Order ${order.id} confirmed` },
    key: `confirm-${order.id}`,
  });
  return { status: 201, body: order };
}

const server = createServer(async (req, res) => {
  const send = ({ status, body }: Answer) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://orders');
  try {
    if (req.method === 'GET' && pathname === '/health') return send({ status: 200, body: { status: 'ok' } });
    if (req.method === 'POST' && pathname === '/order') {
      const [user, item] = [searchParams.get('user_id'), searchParams.get('item_id')];
      if (!user || !item) return send({ status: 422, body: { detail: 'user_id and item_id are required' } });
      return send(await placeOrder(user, item));
    }
    const found = /^\/orders\/([^/]+)$/.exec(pathname);
    const order = found && req.method === 'GET' ? orders.get(decodeURIComponent(found[1] ?? '')) : undefined;
    if (order) return send({ status: 200, body: order });
    send({ status: 404, body: { detail: found ? 'Order not found' : 'Not Found' } });
  } catch (error) {
    send({ status: 500, body: { detail: `orders failed: ${(error as Error).message}` } });
  }
});

server.listen(Number(process.env.PORT ?? 4003), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
