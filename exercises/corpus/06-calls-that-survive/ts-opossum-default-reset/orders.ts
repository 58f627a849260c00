// Exercise 06 orders service: Express + opossum (TypeScript, run with tsx).

import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import CircuitBreaker from 'opossum';

const SERVICES = {
  user: process.env.USER_SERVICE_URL ?? 'http://127.0.0.1:4001',
  inventory: process.env.INVENTORY_SERVICE_URL ?? 'http://127.0.0.1:4002',
  notification: process.env.NOTIFICATION_SERVICE_URL ?? 'http://127.0.0.1:4004',
};
type Service = keyof typeof SERVICES;

interface CallOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  idempotencyKey?: string;
}
interface PeerResponse {
  status: number;
  data: unknown;
}

class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A client for one peer: every try goes through the peer's breaker, which also enforces the 1 s timeout. */
function makeClient(service: Service) {
  const once = async (path: string, opts: CallOptions): Promise<PeerResponse> => {
    const res = await fetch(SERVICES[service] + path, {
      method: opts.method ?? 'GET',
      headers: {
        'x-caller': 'orders',
        'content-type': 'application/json',
        ...(opts.idempotencyKey ? { 'Idempotency-Key': opts.idempotencyKey } : {}),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const data = await res.json().catch(() => ({}));
    if (res.status >= 500) throw new HttpError(res.status, `${service} answered ${res.status}`);
    return { status: res.status, data };
  };

  const breaker = new CircuitBreaker(once, {
    name: service,
    timeout: 1000, // each try
    errorThresholdPercentage: 50,
    volumeThreshold: 5, // not before 5 calls
  });

  return async (path: string, opts: CallOptions = {}): Promise<PeerResponse> => {
    const repeatable = (opts.method ?? 'GET') === 'GET' || !!opts.idempotencyKey;
    const delays = repeatable ? [100, 250] : [];
    for (let i = 0; ; i++) {
      try {
        return await breaker.fire(path, opts);
      } catch (err) {
        const retryable =
          (err as { code?: string }).code !== 'EOPENBREAKER' &&
          !(err instanceof HttpError && ![502, 503, 504].includes(err.status));
        if (!retryable || i >= delays.length) throw new HttpError(503, `${service} unavailable`);
        await new Promise((r) => setTimeout(r, delays[i]));
      }
    }
  };
}

const user = makeClient('user');
const inventory = makeClient('inventory');
const notification = makeClient('notification');

type Order = {
  id: string;
  user_id: string;
  item_id: string;
  quantity: number;
  confirmation: 'sent' | 'pending';
};
const orders = new Map<string, Order>();

async function confirm(order: Order) {
  try {
    await notification('/send', {
      method: 'POST',
      idempotencyKey: `order-${order.id}-confirmation`,
      body: { user_id: order.user_id, message: `We got your order ${order.id}.` },
    });
    order.confirmation = 'sent';
  } catch {
    order.confirmation = 'pending';
  }
}
setInterval(() => {
  for (const o of orders.values()) if (o.confirmation === 'pending') void confirm(o);
}, 2000).unref();

const app = express();

app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});

app.post('/order', async (req: Request, res: Response) => {
  const userId = String(req.query.user_id ?? '');
  const itemId = String(req.query.item_id ?? '');
  if (!userId || !itemId) throw new HttpError(422, 'user_id and item_id are required');

  const u = await user(`/users/${encodeURIComponent(userId)}`);
  if (u.status === 404) throw new HttpError(404, 'User not found');

  const id = randomUUID();
  const r = await inventory('/reservations', {
    method: 'POST',
    idempotencyKey: `reserve-${id}`,
    body: { order_id: id, item_id: itemId, quantity: 1 },
  });
  if (r.status === 409) throw new HttpError(409, 'Out of stock');
  if (r.status === 404) throw new HttpError(404, 'Item not found');

  const order: Order = { id, user_id: userId, item_id: itemId, quantity: 1, confirmation: 'pending' };
  orders.set(id, order);
  void confirm(order);
  res.status(201).json(order);
});

app.get('/orders/:id', (req, res) => {
  const order = orders.get(req.params.id);
  if (!order) throw new HttpError(404, 'Order not found');
  res.json(order);
});

app.use((_req: Request, _res: Response) => {
  throw new HttpError(404, 'Not Found');
});

app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  res.status(err instanceof HttpError ? err.status : 500).json({ detail: err.message ?? String(err) });
});

app.listen(Number(process.env.PORT ?? 4003), process.env.HOST ?? '127.0.0.1');
