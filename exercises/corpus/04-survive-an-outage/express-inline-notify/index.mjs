// My exercise 03 orders, with timeouts and 503s added for exercise 04.
import express from 'express';

const {
  USER_SERVICE_URL: USER,
  INVENTORY_SERVICE_URL: INVENTORY,
  NOTIFICATION_SERVICE_URL: NOTIFY,
} = process.env;
const app = express();
const orders = [];

function call(url, body) {
  return fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: { 'x-caller': 'orders', 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(1500),
  }).catch(() => null); // null: the service did not answer
}

app.post('/order', async (req, res) => {
  const { user_id, item_id } = req.query;
  const user = await call(`${USER}/users/${user_id}`);
  if (!user || user.status >= 500) return res.status(503).json({ detail: 'user unavailable' });
  if (user.status === 404) return res.status(404).json({ detail: 'User not found' });

  const id = orders.length + 1;
  orders.push({ id, user_id, item_id, status: 'pending' });
  const stock = await call(`${INVENTORY}/reservations`, { order_id: id, item_id, quantity: 1 });
  if (!stock || stock.status >= 500) return res.status(503).json({ detail: 'inventory unavailable' });
  if (stock.status === 409) return res.status(409).json({ detail: 'Out of stock' });
  if (stock.status === 404) return res.status(404).json({ detail: 'Item not found' });

  // an order is only complete once the customer has been told
  const sent = await call(`${NOTIFY}/send`, { user_id, message: `Order ${id} confirmed` });
  if (!sent?.ok) return res.status(503).json({ detail: 'notification unavailable' });

  orders[id - 1].status = 'confirmed';
  res.status(201).json(orders[id - 1]);
});

app.get('/orders/:id', (req, res) => {
  const order = orders[Number(req.params.id) - 1];
  if (!order) return res.status(404).json({ detail: 'Order not found' });
  res.json(order);
});

app.listen(Number(process.env.PORT), process.env.HOST);
