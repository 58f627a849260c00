// Orders service (exercise 06) -- Express 5 + fetch.

import { randomUUID } from 'node:crypto';
import express from 'express';

const USER_URL = process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001';
const INVENTORY_URL = process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002';
const NOTIFICATION_URL = process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004';

class HttpError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

class CircuitOpenError extends Error {}

class CircuitBreaker {
  constructor(name, { failureThreshold = 5, resetAfterMs = 2000 } = {}) {
    this.name = name;
    this.failureThreshold = failureThreshold;
    this.resetAfterMs = resetAfterMs;
    this.failures = 0;
    this.state = 'CLOSED';
    this.nextTry = 0;
  }

  async exec(fn) {
    if (this.state === 'OPEN') {
      if (Date.now() < this.nextTry) throw new CircuitOpenError(`circuit to ${this.name} is open`);
      this.state = 'HALF_OPEN';
    } else if (this.state === 'HALF_OPEN') {
      throw new CircuitOpenError(`circuit to ${this.name} is half open`);
    }
    try {
      const result = await fn();
      this.failures = 0;
      this.state = 'CLOSED';
      return result;
    } catch (err) {
      this.failures++;
      if (this.state === 'HALF_OPEN' || this.failures >= this.failureThreshold) {
        this.state = 'OPEN';
        this.nextTry = Date.now() + this.resetAfterMs;
      }
      throw err;
    }
  }
}

const breakers = {
  user: new CircuitBreaker('user'),
  inventory: new CircuitBreaker('inventory'),
  notification: new CircuitBreaker('notification'),
};

class RetryableError extends Error {}

async function request(url, { method = 'GET', body, headers = {} } = {}) {
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: { 'x-caller': 'orders', 'content-type': 'application/json', ...headers },
      body: body && JSON.stringify(body),
      signal: AbortSignal.timeout(1000),
    });
  } catch (err) {
    throw new RetryableError(`${method} ${url}: ${err.cause?.code ?? err.name}`);
  }
  const data = await res.json().catch(() => ({}));
  if ([502, 503, 504].includes(res.status)) throw new RetryableError(`${method} ${url}: ${res.status}`);
  if (res.status >= 500) throw new Error(`${method} ${url}: ${res.status}`);
  return { status: res.status, data };
}

// up to 3 tries through the breaker, 100 ms then 200 ms between them
async function resilient(peer, url, options = {}) {
  const canRetry = (options.method ?? 'GET') === 'GET' || options.headers?.['Idempotency-Key'];
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** (attempt - 1)));
    try {
      return await breakers[peer].exec(() => request(url, options));
    } catch (err) {
      if (err instanceof CircuitOpenError) throw err;
      if (!(err instanceof RetryableError) || !canRetry) break;
    }
  }
  throw new HttpError(503, `${peer} unavailable`);
}

const orders = new Map();
const retryQueue = [];

async function notify(order) {
  await resilient('notification', `${NOTIFICATION_URL}/send`, {
    method: 'POST',
    headers: { 'Idempotency-Key': `order-${order.id}` },
    body: { user_id: order.user_id, message: `Order ${order.id} is confirmed` },
  });
}

setInterval(async () => {
  const batch = retryQueue.splice(0);
  for (const order of batch) await notify(order).catch(() => retryQueue.push(order));
}, 2000).unref();

const app = express();
app.get('/health', (_req, res) => res.json({ status: 'ok' }));

app.post('/order', async (req, res) => {
  const { user_id, item_id } = req.query;
  if (!user_id || !item_id) throw new HttpError(422, 'user_id and item_id are required');

  const user = await resilient('user', `${USER_URL}/users/${encodeURIComponent(user_id)}`);
  if (user.status === 404) throw new HttpError(404, 'User not found');

  const id = randomUUID();
  const reservation = await resilient('inventory', `${INVENTORY_URL}/reservations`, {
    method: 'POST',
    headers: { 'Idempotency-Key': `reserve-${id}` },
    body: { order_id: id, item_id, quantity: 1 },
  });
  if (reservation.status === 409) throw new HttpError(409, 'Out of stock');
  if (reservation.status === 404) throw new HttpError(404, 'Item not found');

  const order = { id, user_id, item_id, quantity: 1 };
  orders.set(id, order);
  notify(order).catch(() => retryQueue.push(order));
  res.status(201).json(order);
});

app.get('/orders/:id', (req, res) => {
  const order = orders.get(req.params.id);
  if (!order) throw new HttpError(404, 'Order not found');
  res.json(order);
});

app.use((_req, res) => res.status(404).json({ detail: 'Not Found' }));
app.use((err, _req, res, _next) => {
  console.error(err.message);
  res.status(err.status ?? 500).json({ detail: err.message });
});

app.listen(Number(process.env.PORT ?? 4003), process.env.HOST ?? '127.0.0.1');
