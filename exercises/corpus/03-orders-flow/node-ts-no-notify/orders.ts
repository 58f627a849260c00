// Started from the starter: user and inventory done, notification still to do.
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
const orders = new Map<string, Order>();
const headers = { 'x-caller': 'orders', 'content-type': 'application/json' };

const server = createServer(async (req, res) => {
  const send = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://orders');
  if (req.method === 'GET' && pathname === '/health') return send(200, { status: 'ok', service: 'orders' });
  if (req.method === 'POST' && pathname === '/order') {
    const userId = searchParams.get('user_id') ?? '';
    const itemId = searchParams.get('item_id') ?? '';
    const user = await fetch(`${USER}/users/${encodeURIComponent(userId)}`, { headers });
    if (user.status === 404) return send(404, { detail: 'User not found' });
    const id = randomUUID();
    const reservation = await fetch(`${INVENTORY}/reservations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ order_id: id, item_id: itemId, quantity: 1 }),
    });
    if (reservation.status === 409) return send(409, { detail: 'Out of stock' });
    if (reservation.status === 404) return send(404, { detail: 'Item not found' });
    const order: Order = { id, user_id: userId, item_id: itemId };
    orders.set(id, order);
    // TODO: have notification send the confirmation (POST ${NOTIFICATION}/send)
    console.log(`order ${id} placed; would notify via ${NOTIFICATION}`);
    return send(201, order);
  }
  const match = /^\/orders\/([^/]+)$/.exec(pathname);
  if (req.method === 'GET' && match) {
    const order = orders.get(decodeURIComponent(match[1] ?? ''));
    return order ? send(200, order) : send(404, { detail: 'Order not found' });
  }
  send(404, { detail: 'Not Found' });
});

server.listen(Number(process.env.PORT ?? 4003), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
