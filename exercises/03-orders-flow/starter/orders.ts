// Your orders service: start here. The grader runs it with PORT, and with USER_SERVICE_URL, INVENTORY_SERVICE_URL
// and NOTIFICATION_SERVICE_URL pointing at its own services, through the playground, which records every call.
import { createServer } from 'node:http';

const USER = process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001';
const INVENTORY = process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002';
const NOTIFICATION = process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004';

const server = createServer(async (req, res) => {
  const send = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://orders');
  if (req.method === 'GET' && pathname === '/health') return send(200, { status: 'ok', service: 'orders' });
  if (req.method === 'POST' && pathname === '/order') {
    const [userId, itemId] = [searchParams.get('user_id'), searchParams.get('item_id')];
    // TODO: ask user about userId (GET ${USER}/users/{id}), reserve the stock in one step
    // (POST ${INVENTORY}/reservations {order_id, item_id, quantity}), store the order, have notification send the
    // confirmation (POST ${NOTIFICATION}/send {user_id, message}). Send "x-caller: orders" on every call.
    return send(501, {
      detail: `not implemented yet: order of ${itemId} for ${userId}`,
      peers: [USER, INVENTORY, NOTIFICATION],
    });
  }
  // TODO: GET /orders/{id}
  send(404, { detail: 'Not Found' });
});

server.listen(Number(process.env.PORT ?? 4003), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
