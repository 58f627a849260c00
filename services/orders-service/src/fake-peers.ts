import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, createService, HTTPException, z } from '@microtown/kit';

/** One call a fake peer received. */
export interface SeenCall {
  service: string;
  method: string;
  path: string;
  body: unknown;
  caller?: string;
  traceId?: string;
  idempotencyKey?: string;
}

/**
 * Small stand-ins for user, inventory and notification, over real HTTP, for orders' own tests: they record every
 * call, and each can be switched to answer 503 as a closed shop would. (Services never import each other's code.)
 */
export async function startFakePeers() {
  const calls: SeenCall[] = [];
  const down = new Set<string>();
  const stock = new Map([
    ['item1', 3],
    ['item2', 100],
  ]);
  const reservations = new Map<
    string,
    { order_id: string; item_id: string; quantity: number; status: string }
  >();
  const sent = new Map<string, { user_id: string; message: string }>();

  const seen = new WeakMap<IncomingMessage, SeenCall>();
  const withBody = (req: IncomingMessage, body: unknown) => {
    const call = seen.get(req);
    if (call) call.body = body;
  };
  const services = new Map<string, ReturnType<typeof createService>>();
  const fake = (name: string) => {
    const service = createService({ name });
    services.set(name, service);
    return service;
  };
  /** Records the call, or answers 503 for a peer that is switched off, before the fake's own routes. */
  const listen = (name: string, service: ReturnType<typeof createService>) =>
    new Promise<Server>((resolve) => {
      const server = createServer((req, res) => {
        if (down.has(name)) {
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ detail: `${name} is closed` }));
          return;
        }
        const call: SeenCall = {
          service: name,
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0] ?? '',
          body: undefined,
          caller: req.headers['x-caller'] as string | undefined,
          traceId: (req.headers.traceparent as string | undefined)?.split('-')[1],
          idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        };
        calls.push(call);
        seen.set(req, call);
        service.app(req, res);
      });
      server.listen(0, '127.0.0.1', () => resolve(server));
    });

  const user = fake('user');
  user.get(
    '/users/{user_id}',
    { summary: 'Read a user', params: z.object({ user_id: z.string() }) },
    ({ params }) => {
      if (params.user_id !== 'u1') throw new HTTPException(404, 'User not found');
      return { id: 'u1', name: 'Santanu', email: 'santanu@example.com' };
    },
  );

  const inventory = fake('inventory');
  const Reservation = z.object({ order_id: z.string(), item_id: z.string(), quantity: z.int() });
  const OrderPath = { params: z.object({ order_id: z.string() }) };
  inventory.post('/reservations', { summary: 'Reserve', body: Reservation, status: 201 }, ({ body, req }) => {
    withBody(req, body);
    const existing = reservations.get(body.order_id);
    if (existing) return existing;
    const available = stock.get(body.item_id);
    if (available === undefined) throw new HTTPException(404, 'Item not found');
    if (available < body.quantity) throw new HTTPException(409, 'Out of stock');
    stock.set(body.item_id, available - body.quantity);
    const reservation = { ...body, status: 'held' };
    reservations.set(body.order_id, reservation);
    return reservation;
  });
  const HeldQuery = {
    query: z.object({ status: z.string().optional(), limit: z.coerce.number(), offset: z.coerce.number() }),
  };
  inventory.get('/reservations', { summary: 'List', ...HeldQuery }, ({ query }) => {
    const all = [...reservations.values()].filter((r) => !query.status || r.status === query.status);
    return { data: all.slice(query.offset, query.offset + query.limit), count: all.length };
  });
  inventory.get('/reservations/{order_id}', { summary: 'Read', ...OrderPath }, ({ params }) => {
    const found = reservations.get(params.order_id);
    if (!found) throw new HTTPException(404, 'Reservation not found');
    return found;
  });
  inventory.delete(
    '/reservations/{order_id}',
    { summary: 'Release', ...OrderPath, status: 204 },
    ({ params }) => {
      const found = reservations.get(params.order_id);
      if (!found) throw new HTTPException(404, 'Reservation not found');
      if (found.status === 'held') stock.set(found.item_id, (stock.get(found.item_id) ?? 0) + found.quantity);
      found.status = 'released';
    },
  );

  const notification = fake('notification');
  const Send = z.object({ user_id: z.string(), message: z.string() });
  notification.post('/send', { summary: 'Send', body: Send, status: 201 }, ({ body, req }) => {
    withBody(req, body);
    const key = String(req.headers['idempotency-key'] ?? Math.random());
    if (!sent.has(key)) sent.set(key, body);
    return { id: key, status: 'sent', to: body.user_id, ...body };
  });

  const servers = new Map<string, Server>();
  for (const [name, service] of services) servers.set(name, await listen(name, service));
  const url = (name: string) =>
    `http://127.0.0.1:${(servers.get(name)?.address() as AddressInfo | undefined)?.port}`;
  return {
    calls,
    stock,
    reservations,
    /** What notification delivered, once per idempotency key. */
    sent,
    urls: { user: url('user'), inventory: url('inventory'), notification: url('notification') },
    /** Makes a peer answer 503 to everything (true), or serve again (false). */
    switchOff: (name: string, off = true) => (off ? down.add(name) : down.delete(name)),
    stop: () => Promise.all([...servers.values()].map(closeServer)),
  };
}

export type FakePeers = Awaited<ReturnType<typeof startFakePeers>>;
