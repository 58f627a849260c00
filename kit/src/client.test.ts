import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, type ClientOptions, createClient } from './client.js';
import { HTTPException } from './errors.js';
import { runWithTrace, traceFrom } from './trace.js';

const servers: Server[] = [];
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(handler: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A server that records each request and answers from `answer(n)` (n counts from 0). */
async function recording(
  answer: (n: number, req: IncomingMessage) => [number, unknown] | 'destroy' | 'hang',
) {
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const { url, server } = await listen(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    const action = answer(seen.length - 1, req);
    if (action === 'destroy') return req.socket.destroy();
    if (action === 'hang') return;
    const [status, payload] = action;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  });
  return { url, server, seen };
}

function client(options: Partial<ClientOptions> & { baseUrl: string }): Client {
  const created = createClient({ service: 'user', caller: 'orders', ...options });
  clients.push(created);
  return created;
}

async function freePort(): Promise<number> {
  const { server } = await listen(() => {});
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function elapsed<T>(promise: Promise<T>): Promise<[PromiseSettledResult<T>, number]> {
  const start = performance.now();
  const [result] = await Promise.allSettled([promise]);
  return [result as PromiseSettledResult<T>, performance.now() - start];
}

describe('headers and tracing', () => {
  it('sends traceparent, x-caller and accept', async () => {
    const { url, seen } = await recording(() => [200, {}]);
    await client({ baseUrl: url }).get('/users/u1');
    expect(seen[0]?.headers['x-caller']).toBe('orders');
    expect(seen[0]?.headers.accept).toBe('application/json');
    expect(seen[0]?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('continues the trace of the request being handled, with a new span', async () => {
    const { url, seen } = await recording(() => [200, {}]);
    const incoming = `00-${'a1'.repeat(16)}-${'b2'.repeat(8)}-01`;
    const trace = traceFrom(incoming);
    await runWithTrace(trace, () => client({ baseUrl: url }).get('/users/u1'));
    const [, traceId, spanId] = String(seen[0]?.headers.traceparent).split('-');
    expect(traceId).toBe('a1'.repeat(16));
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect([trace.spanId, 'b2'.repeat(8)]).not.toContain(spanId);
  });
});

describe('requests and responses', () => {
  it('keeps the path prefix of the base URL', async () => {
    const { url, seen } = await recording(() => [200, {}]);
    const user = client({ baseUrl: `${url}/svc/user/` });
    expect(user.baseUrl).toBe(`${url}/svc/user`);
    await user.get('/users/u1');
    await user.get('users/u2', { query: { full: true } });
    expect(seen.map((r) => r.url)).toEqual(['/svc/user/users/u1', '/svc/user/users/u2?full=true']);
  });

  it('sends a JSON body and encodes the query', async () => {
    const { url, seen } = await recording(() => [201, { id: 'u1' }]);
    const res = await client({ baseUrl: url }).post('/users', {
      query: { q: 'a b&c', n: 2, skip: undefined },
      body: { name: 'Ada', email: 'ada@example.com' },
    });
    expect(res).toMatchObject({ status: 201, body: { id: 'u1' } });
    expect(res.headers['content-type']).toBe('application/json');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/users?q=a+b%26c&n=2' });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ name: 'Ada', email: 'ada@example.com' });
  });

  it('returns non-2xx answers instead of throwing', async () => {
    const { url } = await recording(() => [404, { detail: 'User not found' }]);
    const res = await client({ baseUrl: url }).get('/users/nobody');
    expect(res).toMatchObject({ status: 404, body: { detail: 'User not found' } });
  });

  it('gives text bodies as text and empty bodies as undefined', async () => {
    const { url } = await listen((req, res) => {
      if (req.url === '/text') res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      else res.writeHead(204).end();
    });
    const user = client({ baseUrl: url });
    expect((await user.get('/text')).body).toBe('hello');
    expect(await user.delete('/users/u1')).toMatchObject({ status: 204, body: undefined });
  });

  it('reuses kept-alive connections for sequential calls', async () => {
    const { url, server } = await recording(() => [200, {}]);
    let connections = 0;
    server.on('connection', () => connections++);
    const user = client({ baseUrl: url });
    for (let i = 0; i < 10; i++) await user.get('/users/u1');
    // undici's pool frees a connection one tick after its body ends, so back-to-back calls may use two.
    expect(connections).toBeLessThanOrEqual(2);
  });
});

describe('retries', () => {
  it('retries a GET answered 503', async () => {
    const { url, seen } = await recording((n) => (n === 0 ? [503, { detail: 'busy' }] : [200, { id: 'u1' }]));
    const res = await client({ baseUrl: url }).get('/users/u1');
    expect(res).toMatchObject({ status: 200, body: { id: 'u1' } });
    expect(seen).toHaveLength(2);
  });

  it('retries a GET whose connection was dropped', async () => {
    const { url, seen } = await recording((n) => (n === 0 ? 'destroy' : [200, { id: 'u1' }]));
    expect((await client({ baseUrl: url }).get('/users/u1')).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('gives back a 503 that persists after the retries', async () => {
    const { url, seen } = await recording(() => [503, { detail: 'busy' }]);
    const res = await client({ baseUrl: url, retries: 2, backoffMs: 5 }).get('/users/u1');
    expect(res).toMatchObject({ status: 503, body: { detail: 'busy' } });
    expect(seen).toHaveLength(3);
  });

  it('does not retry a POST without an idempotency key', async () => {
    const { url, seen } = await recording(() => [503, { detail: 'busy' }]);
    expect((await client({ baseUrl: url }).post('/users', { body: {} })).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('does not resend a POST whose connection was dropped', async () => {
    const { url, seen } = await recording(() => 'destroy');
    await expect(client({ baseUrl: url }).post('/users', { body: {} })).rejects.toMatchObject({
      status: 503,
    });
    expect(seen).toHaveLength(1);
  });

  it('retries a POST that carries an idempotency key', async () => {
    const { url, seen } = await recording((n) => (n === 0 ? [503, {}] : [201, { id: 'o1' }]));
    const res = await client({ baseUrl: url }).post('/orders', { body: {}, idempotencyKey: 'k-1' });
    expect(res.status).toBe(201);
    expect(seen.map((r) => r.headers['idempotency-key'])).toEqual(['k-1', 'k-1']);
  });
});

describe('circuit breaker', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const failing = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('is off unless asked for: every call reaches a failing callee', async () => {
    const { url, seen } = await recording(() => [503, { detail: 'busy' }]);
    const user = client({ baseUrl: url, retries: 0 });
    for (const _ of failing(8)) expect((await user.get('/users/u1')).status).toBe(503);
    expect(seen).toHaveLength(8);
  });

  it('after 5 failed calls answers "<service> unavailable" at once, without calling, retries or not', async () => {
    const { url, seen } = await recording(() => [503, { detail: 'busy' }]);
    const user = client({ baseUrl: url, retries: 2, backoffMs: 5, breaker: { pauseMs: 5000 } });
    // 3 attempts, then 2 more: the fifth failure opens it, and the third attempt of the second call is refused.
    expect((await user.get('/users/u1')).status).toBe(503);
    await expect(user.get('/users/u1')).rejects.toMatchObject({ status: 503, detail: 'user unavailable' });
    expect(seen).toHaveLength(5);
    const [result, ms] = await elapsed(user.get('/users/u1'));
    expect((result as PromiseRejectedResult).reason).toMatchObject({
      status: 503,
      detail: 'user unavailable',
    });
    expect(ms).toBeLessThan(40);
    expect(seen).toHaveLength(5);
  });

  it('counts calls with no answer as failures too', async () => {
    const { url, seen } = await recording(() => 'destroy');
    const user = client({ baseUrl: url, retries: 0, breaker: { failures: 3, pauseMs: 5000 } });
    for (const _ of failing(5)) await expect(user.get('/users/u1')).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(3);
  });

  it('does not count 4xx answers: the callee answered', async () => {
    const { url, seen } = await recording(() => [404, { detail: 'User not found' }]);
    const user = client({ baseUrl: url, retries: 0, breaker: { failures: 3 } });
    for (const _ of failing(6)) expect((await user.get('/users/u1')).status).toBe(404);
    expect(seen).toHaveLength(6);
  });

  it('after the pause lets one call through, and closes when it passes', async () => {
    let down = true;
    const { url, seen } = await recording(() => (down ? [503, {}] : [200, { id: 'u1' }]));
    const user = client({ baseUrl: url, retries: 0, breaker: { failures: 3, pauseMs: 200 } });
    for (const _ of failing(3)) await user.get('/users/u1');
    await expect(user.get('/users/u1')).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(3);
    down = false;
    await sleep(250);
    expect((await user.get('/users/u1')).status).toBe(200);
    for (const _ of failing(3)) expect((await user.get('/users/u1')).status).toBe(200);
    expect(seen).toHaveLength(7);
  });

  it('opens again at once when the call let through fails', async () => {
    const { url, seen } = await recording(() => [503, {}]);
    const user = client({ baseUrl: url, retries: 0, breaker: { failures: 3, pauseMs: 200 } });
    for (const _ of failing(3)) await user.get('/users/u1');
    await sleep(250);
    expect((await user.get('/users/u1')).status).toBe(503);
    await expect(user.get('/users/u1')).rejects.toMatchObject({ status: 503, detail: 'user unavailable' });
    expect(seen).toHaveLength(4);
  });
});

describe('unavailable callee', () => {
  it('answers 503 "<service> unavailable" when nothing listens', async () => {
    const port = await freePort();
    const [result, ms] = await elapsed(client({ baseUrl: `http://127.0.0.1:${port}` }).get('/users/u1'));
    expect(result.status).toBe('rejected');
    const error = (result as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(HTTPException);
    expect(error).toMatchObject({ status: 503, detail: 'user unavailable' });
    expect(ms).toBeLessThan(2000);
  });

  it('gives up on a hanging callee within the deadline, retries included', async () => {
    const { url, seen } = await recording(() => 'hang');
    const [result, ms] = await elapsed(client({ baseUrl: url, timeoutMs: 200 }).get('/users/u1'));
    expect((result as PromiseRejectedResult).reason).toMatchObject({
      status: 503,
      detail: 'user unavailable',
    });
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(500);
    expect(seen).toHaveLength(1);
  });

  it('times out a body that never finishes', async () => {
    const { url } = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).write('{"partial":');
    });
    const [result, ms] = await elapsed(client({ baseUrl: url, timeoutMs: 200 }).get('/users/u1'));
    expect((result as PromiseRejectedResult).reason).toMatchObject({ status: 503 });
    expect(ms).toBeLessThan(500);
  });

  it('retries timeouts while the deadline allows', async () => {
    const { url, seen } = await recording((n) => (n === 0 ? 'hang' : [200, {}]));
    const user = client({ baseUrl: url, timeoutMs: 100, deadlineMs: 1000 });
    expect((await user.get('/users/u1')).status).toBe(200);
    expect(seen).toHaveLength(2);
  });
});

describe('configuration', () => {
  it.each(['foo', '', 'ftp://127.0.0.1:4001', 'http://127.0.0.1:4001/?x=1'])(
    'rejects base URL %j',
    (baseUrl) => {
      expect(() => createClient({ service: 'user', caller: 'orders', baseUrl })).toThrow(
        `invalid base URL for user: ${JSON.stringify(baseUrl)}; expected e.g. http://127.0.0.1:4001`,
      );
    },
  );
});
