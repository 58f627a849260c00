import http from 'node:http';

const PORT = process.env.PORT || 8003;
const USER = process.env.USER_SERVICE_URL;
const INVENTORY = process.env.INVENTORY_SERVICE_URL;
const NOTIFICATION = process.env.NOTIFICATION_SERVICE_URL;

const orders = {};
let seq = 0;

function reply(res, code, data) {
  res.writeHead(code, { 'Content-Type': 'text/plain' });
  res.end(JSON.stringify(data));
}

function post(url, data) {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-caller': 'orders' },
    body: JSON.stringify(data),
  });
}

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    if (req.method === 'POST' && url.pathname === '/order') {
      const user_id = url.searchParams.get('user_id');
      const item_id = url.searchParams.get('item_id');
      const u = await fetch(`${USER}/users/${user_id}`, { headers: { 'x-caller': 'orders' } });
      if (u.status === 404) return reply(res, 404, { detail: 'User not found' });
      const id = ++seq;
      const r = await post(`${INVENTORY}/reservations`, { order_id: id, item_id, quantity: 1 });
      if (r.status === 409) return reply(res, 409, { detail: 'Out of stock' });
      if (r.status === 404) return reply(res, 404, { detail: 'Item not found' });
      orders[id] = { id, user_id, item_id };
      await post(`${NOTIFICATION}/send`, { user_id, message: `Order ${id} confirmed` });
      return reply(res, 201, orders[id]);
    }
    const m = url.pathname.match(/^\/orders\/(\d+)$/);
    if (req.method === 'GET' && m) {
      return orders[m[1]] ? reply(res, 200, orders[m[1]]) : reply(res, 404, { detail: 'Order not found' });
    }
    reply(res, 404, { detail: 'Not Found' });
  })
  .listen(PORT, () => console.log(`orders on ${PORT}`));
