// Orders with nothing but node:http and fetch.
import { createServer } from 'node:http';

const services = {
  user: process.env.USER_SERVICE_URL,
  inventory: process.env.INVENTORY_SERVICE_URL,
  notification: process.env.NOTIFICATION_SERVICE_URL,
};

function call(service, path, body) {
  const init = { headers: { 'x-caller': 'orders' } };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(services[service] + path, init);
}

const orders = [];

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function placeOrder(userId, itemId, res) {
  const user = await call('user', `/users/${userId}`);
  if (user.status === 404) return json(res, 404, { detail: 'User not found' });

  const id = orders.length + 1;
  orders.push(null); // keep the id taken while we wait for inventory
  const reserved = await call('inventory', '/reservations', { order_id: id, item_id: itemId, quantity: 1 });
  if (reserved.status === 409) return json(res, 409, { detail: 'Out of stock' });
  if (reserved.status === 404) return json(res, 404, { detail: 'Item not found' });

  const order = { id, user_id: userId, item_id: itemId };
  orders[id - 1] = order;
  await call('notification', '/send', { user_id: userId, message: `Order ${id}: item ${itemId} is yours` });
  json(res, 200, order);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  try {
    if (req.method === 'POST' && url.pathname === '/order') {
      return await placeOrder(url.searchParams.get('user_id'), url.searchParams.get('item_id'), res);
    }
    const match = url.pathname.match(/^\/orders\/(\d+)$/);
    if (req.method === 'GET' && match) {
      const order = orders[Number(match[1]) - 1];
      return order ? json(res, 200, order) : json(res, 404, { detail: 'Order not found' });
    }
    json(res, 404, { detail: 'Not Found' });
  } catch (err) {
    json(res, 500, { detail: String(err) });
  }
});

server.listen(Number(process.env.PORT), process.env.HOST);
