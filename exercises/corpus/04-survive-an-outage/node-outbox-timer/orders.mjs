// Orders (exercise 04): short timeouts, 503 when user or inventory is down, and an outbox for confirmations.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const USER = process.env.USER_SERVICE_URL;
const INVENTORY = process.env.INVENTORY_SERVICE_URL;
const NOTIFICATION = process.env.NOTIFICATION_SERVICE_URL;
const TIMEOUT_MS = 1000;

const orders = new Map(); // id -> { id, user_id, item_id, outbox: null | { key, message } }

async function call(url, { body, headers = {} } = {}) {
  return fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: { 'x-caller': 'orders', 'content-type': 'application/json', ...headers },
    body: body && JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

async function confirm(order) {
  const pending = order.outbox;
  if (!pending) return;
  try {
    const r = await call(`${NOTIFICATION}/send`, {
      body: { user_id: order.user_id, message: pending.message },
      headers: { 'Idempotency-Key': pending.key },
    });
    if (r.ok) order.outbox = null;
  } catch {
    // notification down or slow: stays in the outbox
  }
}

let flushing = false;
setInterval(async () => {
  if (flushing) return;
  flushing = true;
  try {
    for (const order of orders.values()) if (order.outbox) await confirm(order);
  } finally {
    flushing = false;
  }
}, 1000);

const view = ({ outbox, ...order }) => ({ ...order, confirmation: outbox ? 'pending' : 'sent' });

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function placeOrder(res, userId, itemId) {
  let user;
  try {
    user = await call(`${USER}/users/${encodeURIComponent(userId)}`);
  } catch {
    return send(res, 503, { detail: 'user unavailable' });
  }
  if (user.status === 404) return send(res, 404, { detail: 'User not found' });
  if (user.status !== 200) return send(res, 503, { detail: 'user unavailable' });

  const id = randomUUID();
  let reservation;
  try {
    reservation = await call(`${INVENTORY}/reservations`, {
      body: { order_id: id, item_id: itemId, quantity: 1 },
    });
  } catch {
    return send(res, 503, { detail: 'inventory unavailable' });
  }
  if (reservation.status === 409) return send(res, 409, { detail: 'Out of stock' });
  if (reservation.status === 404) return send(res, 404, { detail: 'Item not found' });
  if (!reservation.ok) return send(res, 503, { detail: 'inventory unavailable' });

  const order = {
    id,
    user_id: userId,
    item_id: itemId,
    outbox: { key: `order-${id}`, message: `Your order ${id} is confirmed` },
  };
  orders.set(id, order);
  await confirm(order);
  send(res, 201, view(order));
}

createServer(async (req, res) => {
  const { pathname, searchParams } = new URL(req.url, 'http://orders');
  if (req.method === 'POST' && pathname === '/order') {
    return placeOrder(res, searchParams.get('user_id'), searchParams.get('item_id'));
  }
  const id = pathname.startsWith('/orders/') ? decodeURIComponent(pathname.slice('/orders/'.length)) : null;
  if (req.method === 'GET' && id) {
    const order = orders.get(id);
    return order ? send(res, 200, view(order)) : send(res, 404, { detail: 'Order not found' });
  }
  send(res, 404, { detail: 'Not Found' });
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
