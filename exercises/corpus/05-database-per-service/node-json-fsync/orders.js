import { randomUUID } from 'node:crypto';
import { load, save, serve } from './store.js';

const USER = process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001';
const INVENTORY = process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002';
const NOTIFICATION = process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004';
const headers = { 'content-type': 'application/json', 'x-caller': 'orders' };
const db = load({ orders: {} });

serve(4003, async (method, url) => {
  if (method === 'POST' && url.pathname === '/order') {
    const userId = url.searchParams.get('user_id');
    const itemId = url.searchParams.get('item_id');
    const user = await fetch(`${USER}/users/${userId}`, { headers, signal: AbortSignal.timeout(2000) });
    if (user.status !== 200) return [404, { detail: 'User not found' }];
    const id = randomUUID();
    const reservation = await fetch(`${INVENTORY}/reservations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ order_id: id, item_id: itemId, quantity: 1 }),
      signal: AbortSignal.timeout(2000),
    });
    if (reservation.status === 409) return [409, { detail: 'Out of stock' }];
    if (reservation.status !== 201) return [404, { detail: 'Item not found' }];
    const order = { id, user_id: userId, item_id: itemId };
    db.orders[id] = order;
    save(db);
    await fetch(`${NOTIFICATION}/send`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': id },
      body: JSON.stringify({ user_id: userId, message: `Order ${id} confirmed` }),
      signal: AbortSignal.timeout(2000),
    }).catch(() => {});
    return [201, order];
  }
  const m = url.pathname.match(/^\/orders\/([^/]+)$/);
  if (method === 'GET' && m) {
    const order = db.orders[m[1]];
    return order ? [200, order] : [404, { detail: 'Order not found' }];
  }
});
