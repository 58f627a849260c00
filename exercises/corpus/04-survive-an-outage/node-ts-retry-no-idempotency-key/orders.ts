// Orders for exercise 04, from the starter: confirmations that fail are retried from an outbox every second
// until notification has taken them.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const USER = process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001';
const INVENTORY = process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002';
const NOTIFICATION = process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004';

interface Order {
  id: string;
  user_id: string;
  item_id: string;
}
interface Pending {
  user_id: string;
  message: string;
  attempts: number;
}
const orders = new Map<string, Order>();
const outbox: Pending[] = [];

function call(url: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-caller': 'orders', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(1000),
  });
}

async function notify(p: Pending): Promise<boolean> {
  p.attempts += 1;
  try {
    const r = await call(`${NOTIFICATION}/send`, { user_id: p.user_id, message: p.message });
    return r.status === 200;
  } catch {
    return false;
  }
}

setInterval(async () => {
  for (const p of [...outbox]) {
    if (await notify(p)) outbox.splice(outbox.indexOf(p), 1);
  }
}, 1000);

const server = createServer(async (req, res) => {
  const send = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://orders');
  if (req.method === 'GET' && pathname === '/health') return send(200, { status: 'ok', service: 'orders' });
  if (req.method === 'POST' && pathname === '/order') {
    const userId = searchParams.get('user_id') ?? '';
    const itemId = searchParams.get('item_id') ?? '';
    const user = await call(`${USER}/users/${encodeURIComponent(userId)}`).catch(() => undefined);
    if (user === undefined || user.status >= 500) return send(503, { detail: 'user unavailable' });
    if (user.status === 404) return send(404, { detail: 'User not found' });

    const id = randomUUID();
    const r = await call(`${INVENTORY}/reservations`, { order_id: id, item_id: itemId, quantity: 1 }).catch(
      () => undefined,
    );
    if (r === undefined || r.status >= 500) return send(503, { detail: 'inventory unavailable' });
    if (r.status === 409) return send(409, { detail: 'Out of stock' });
    if (r.status === 404) return send(404, { detail: 'Item not found' });

    const order: Order = { id, user_id: userId, item_id: itemId };
    orders.set(id, order);
    const pending: Pending = { user_id: userId, message: `Order ${id} confirmed`, attempts: 0 };
    if (!(await notify(pending))) outbox.push(pending);
    return send(201, order);
  }
  const match = /^\/orders\/([^/]+)$/.exec(pathname);
  if (req.method === 'GET' && match) {
    const order = orders.get(match[1] ?? '');
    return order ? send(200, order) : send(404, { detail: 'Order not found' });
  }
  send(404, { detail: 'Not Found' });
});

server.listen(Number(process.env.PORT ?? 4003), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
