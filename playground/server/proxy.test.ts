import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from '@microtown/kit';
import { eventually, freePort } from '@microtown/kit/testing';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { ProxyLimits } from './proxy.js';
import { type PlaygroundOptions, startPlayground } from './start-playground.js';
import { useFakeTown } from './testing/fake-town.js';
import { rawRequest } from './testing/raw-request.js';
import { readJson } from './testing/read-json.js';
import { connectWorkbench } from './workbench.js';

let closedUrl: string;

/** A port that refuses connections: free a moment ago, and nothing listens there. */
const closedPort = async () => `http://127.0.0.1:${await freePort()}`;

/** A playground of the test's own, in front of one user service at `url`; closed when the test ends. */
const ownPlayground = async (url: string, options: Partial<PlaygroundOptions> = {}) => {
  const own = await startPlayground({ port: 0, page: false, services: [{ name: 'user', url }], ...options });
  onTestFinished(() => own.close());
  return own;
};

const town = useFakeTown({ user: [], orders: ['user'] }, async () => {
  closedUrl = await closedPort();
  return { timeoutMs: 500, services: [{ name: 'gone', url: closedUrl }] };
});

beforeEach(() => {
  town.playground.recorder.clear();
  for (const name of ['user', 'orders', 'gone']) town.playground.switches.set(name, { mode: 'normal' });
});

describe('/svc/<service>/...', () => {
  it('passes method, path, query and headers to the named service, and its answer back', async () => {
    const response = await fetch(`${town.playground.url}/svc/user/users/u1?expand=1&x=%20y`, {
      headers: { 'x-custom': 'kept' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo')).toBe('yes');
    const seen = await readJson(response);
    expect(seen).toMatchObject({ method: 'GET', url: '/users/u1?expand=1&x=%20y' });
    expect(seen.headers['x-custom']).toBe('kept');
    expect(seen.headers.host).toBe(new URL(town.user.url).host);
  });

  it('maps /svc/user and /svc/user/ to the service root', async () => {
    expect((await readJson(await fetch(`${town.playground.url}/svc/user`))).url).toBe('/');
    expect((await readJson(await fetch(`${town.playground.url}/svc/user/?a=1`))).url).toBe('/?a=1');
  });

  it.each([['POST'], ['PUT'], ['PATCH'], ['DELETE']])(
    'keeps a %s body intact, byte for byte',
    async (method) => {
      const body = randomBytes(300_000);
      const response = await fetch(`${town.playground.url}/svc/orders/orders`, {
        method,
        body,
        headers: { 'content-type': 'application/octet-stream' },
      });
      const seen = await readJson(response);
      expect(seen).toMatchObject({
        method,
        bytes: body.length,
        sha256: createHash('sha256').update(body).digest('hex'),
      });
    },
  );

  it.each([[10], [200_000]])('keeps a chunked body of %i bytes (no content-length) intact', async (size) => {
    const body = randomBytes(size);
    const response = await rawRequest(town.playground.url, '/svc/orders/orders', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
    });
    expect(response.json()).toMatchObject({
      bytes: size,
      sha256: createHash('sha256').update(body).digest('hex'),
      headers: expect.objectContaining({ 'transfer-encoding': 'chunked' }),
    });
  });

  it('keeps a JSON body and the status the service chose', async () => {
    const body = JSON.stringify({ user_id: 'u1', item_id: 'item1', note: 'é ✓' });
    const response = await fetch(`${town.playground.url}/svc/orders/created`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(201);
    expect((await readJson(response)).sha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it("keeps a service's redirects within its /svc/<name> prefix", async () => {
    const docs = await fetch(`${town.playground.url}/svc/user/docs`, { redirect: 'manual' });
    expect(docs.status).toBe(301);
    expect(docs.headers.get('location')).toBe('/svc/user/docs/');
    const away = await fetch(`${town.playground.url}/svc/user/away`, { redirect: 'manual' });
    expect(away.headers.get('location')).toBe('http://elsewhere.example/x');
  });

  it('reuses connections to a service (keep-alive)', async () => {
    const before = town.user.connections();
    for (let i = 0; i < 20; i++) await (await fetch(`${town.playground.url}/svc/user/users/u1`)).text();
    expect(town.user.connections() - before).toBeLessThanOrEqual(2);
  });

  it.each([
    '/svc/unknown/users',
    '/svc/%2e%2e/',
    '/svc/%2E%2E/etc/passwd',
    '/svc/user%2F..',
    '/svc/user%2f../orders',
    '/svc/..',
    '/svc/./user/x',
    '/svc/user/../orders/x',
    '/svc/user/%2e%2e/orders',
    '/svc/user/.%2E/x',
    '/svc/user/a%2Fb',
    '/svc/user/a%5cb',
    '/svc/user//evil.example/x',
    '/svc/USER/users',
    '/svc/user@evil.example/x',
    '/svc/evil.example/x',
    '/svc/127.0.0.1:22/',
    '/svc/http://evil.example/',
    '/svc/http:%2F%2Fevil.example/',
    '/svc/constructor/x',
    '/svc/__proto__/x',
    '/svc/',
    '/svc',
    'http://evil.example/svc/user/users',
    `http://127.0.0.1/svc/user/users`,
    '*',
  ])('refuses %s with 404 and a detail, reaching no service', async (target) => {
    const before = town.user.seen.length + town.orders.seen.length;
    const response = await rawRequest(town.playground.url, target);
    expect(response.status).toBe(404);
    expect(response.json()).toEqual({ detail: expect.any(String) });
    expect(town.user.seen.length + town.orders.seen.length).toBe(before);
  });

  it('queues calls past its 256 connections to one service and answers them all (POSTs with bodies too)', async () => {
    // A playground of its own with room to wait: the point is that every call is answered, not how fast, and a busy
    // machine may take more than the shared one's 500 ms over a few of the 400.
    const roomy = await ownPlayground(town.user.url);
    // One connection per call (fetch would share a few), so 400 calls are in flight at the proxy at once.
    const calls = Array.from({ length: 400 }, (_, i) =>
      rawRequest(
        roomy.url,
        '/svc/user/pause',
        i % 2 ? { method: 'POST', body: '{"i":1}', headers: { 'content-type': 'application/json' } } : {},
      ),
    );
    const answers = await Promise.all(calls);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(400);
    expect(answers.every((a) => (a.json() as { paused?: boolean }).paused === true)).toBe(true);
    const seen = town.user.seen.filter((s) => s.url === '/pause');
    expect(seen.every((s) => s.headers.via === '1.1 microtown-playground')).toBe(true);
    expect((await fetch(`${roomy.url}/svc/user/health`)).status).toBe(200);
  });

  it('answers 503 with a detail when nothing listens at the service URL', async () => {
    const response = await fetch(`${town.playground.url}/svc/gone/users`);
    expect(response.status).toBe(503);
    expect(await readJson(response)).toEqual({
      detail: `gone unavailable (nothing answers at ${closedUrl})`,
    });
  });

  it('answers 502 when the service drops the connection, 504 when it does not answer in time', async () => {
    const reset = await fetch(`${town.playground.url}/svc/user/reset`);
    expect(reset.status).toBe(502);
    expect((await readJson(reset)).detail).toMatch(/^user closed the connection without an answer/);
    const slow = await fetch(`${town.playground.url}/svc/user/slow`);
    expect(slow.status).toBe(504);
    expect(await readJson(slow)).toEqual({ detail: 'user did not answer within 0.5 s' });
  });
});

describe('switches', () => {
  it('down: the proxy answers 503 itself and the service sees nothing', async () => {
    town.playground.switches.set('user', { mode: 'down' });
    const before = town.user.seen.length;
    const response = await fetch(`${town.playground.url}/svc/user/users/u1`);
    expect(response.status).toBe(503);
    expect(await readJson(response)).toEqual({ detail: 'user unavailable (switched off in the playground)' });
    expect(town.user.seen.length).toBe(before);
    expect(town.playground.recorder.calls()).toEqual([
      expect.objectContaining({ callee: 'user', status: 503 }),
    ]);
  });

  it('slow: the call still arrives, after the delay', async () => {
    town.playground.switches.set('user', { mode: 'slow', delay_ms: 300 });
    const response = await fetch(`${town.playground.url}/svc/user/users/u1`, {
      method: 'POST',
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
    expect((await readJson(response)).bytes).toBe(7);
    const [call] = town.playground.recorder.calls();
    expect(call?.duration_ms).toBeGreaterThanOrEqual(300);
    expect(call?.held_by).toBe('slowed 300 ms by the slow switch');
  });

  it('normal again: calls pass', async () => {
    town.playground.switches.set('user', { mode: 'down' });
    town.playground.switches.set('user', { mode: 'normal' });
    expect((await fetch(`${town.playground.url}/svc/user/users/u1`)).status).toBe(200);
  });
});

describe('recording', () => {
  it('records caller, callee, method, path, status, duration and the trace id of each call', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await fetch(`${town.playground.url}/svc/user/users/u1?x=1`, {
      headers: { 'x-caller': 'orders', traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    const [call] = town.playground.recorder.calls();
    expect(call).toEqual({
      id: expect.any(Number),
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      started_ms: expect.any(Number),
      caller: 'orders',
      callee: 'user',
      method: 'GET',
      path: '/users/u1?x=1',
      status: 200,
      duration_ms: expect.any(Number),
      trace_id: traceId,
    });
  });

  it("takes the trace id from the answer's x-trace-id when the caller sent none; no x-caller is null", async () => {
    await fetch(`${town.playground.url}/svc/orders/orders`, { method: 'POST', body: '{}' });
    expect(town.playground.recorder.calls()).toEqual([
      expect.objectContaining({ caller: null, callee: 'orders', trace_id: 'ab'.repeat(16) }),
    ]);
  });

  it("records the call's Idempotency-Key, its first 200 characters, in the calls the API lists", async () => {
    const key = `reserve-${'k'.repeat(300)}`;
    await fetch(`${town.playground.url}/svc/user/reservations`, {
      method: 'POST',
      headers: { 'x-caller': 'orders', 'idempotency-key': key, 'content-type': 'application/json' },
      body: '{}',
    });
    await fetch(`${town.playground.url}/svc/user/users/u1`, { headers: { 'x-caller': 'orders' } });
    const { data } = await readJson(await fetch(`${town.playground.url}/api/calls`));
    expect(data.map((c: { idempotency_key?: string }) => c.idempotency_key)).toEqual([
      key.slice(0, 200),
      undefined,
    ]);
  });

  it('counts only the services of the town as callers: 300 made-up x-callers leave the real edges', async () => {
    for (let i = 0; i < 300; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) =>
        fetch(`${town.playground.url}/svc/user/x`, { headers: { 'x-caller': `spoof-${i + j}` } }).then((r) =>
          r.text(),
        ),
      );
      await Promise.all(batch);
    }
    await fetch(`${town.playground.url}/svc/user/users/u1`, { headers: { 'x-caller': 'orders' } });
    expect(town.playground.graph().observed).toEqual([
      expect.objectContaining({ from: 'orders', to: 'user', count: 1 }),
    ]);
    const calls = town.playground.recorder.calls();
    expect(calls.filter((c) => c.caller === null)).toHaveLength(300);
  });

  it('counts a service that joins the town while it runs as a caller, from then on', async () => {
    const channel = new EventEmitter();
    const growing = await ownPlayground(town.user.url, { workbench: connectWorkbench(channel) });
    const call = () =>
      fetch(`${growing.url}/svc/user/x`, { headers: { 'x-caller': 'parcel' } }).then((r) => r.text());
    await call();
    expect(growing.recorder.calls()[0]?.caller).toBeNull();
    const at = new Date().toISOString();
    const joined = {
      type: 'service',
      service: 'parcel',
      url: town.orders.url,
      calls: ['user'],
      lists: [],
      at,
    };
    channel.emit('message', { type: 'events', events: [{ ...joined, dataFile: '/tmp/parcel.json' }] });
    await call();
    expect(growing.recorder.calls()[1]?.caller).toBe('parcel');
    expect(growing.graph().observed).toEqual([
      expect.objectContaining({ from: 'parcel', to: 'user', count: 1 }),
    ]);
  });

  it('keeps a caller name only if it is a service name', async () => {
    await fetch(`${town.playground.url}/svc/user/x`, { headers: { 'x-caller': '<script>' } });
    expect(town.playground.recorder.calls()[0]?.caller).toBeNull();
  });

  it('records failed calls with their status', async () => {
    await fetch(`${town.playground.url}/svc/gone/x`, { headers: { 'x-caller': 'orders' } });
    expect(town.playground.graph().observed).toEqual([
      {
        from: 'orders',
        to: 'gone',
        count: 1,
        errors: 1,
        p50_ms: expect.any(Number),
        recent: { count: 1, errors: 1 },
      },
    ]);
  });

  it('does not record refused requests', async () => {
    await rawRequest(town.playground.url, '/svc/%2e%2e/');
    expect(town.playground.recorder.calls()).toEqual([]);
  });
});

/**
 * A POST on a raw socket whose body comes `burst` bytes at once, then a byte every `everyMs` (until `stop`, or
 * `bytes` of it have gone): resolves with the answer, or with status 0 when the connection closed without one.
 */
function slowUpload(
  base: string,
  path: string,
  options: { declared: number; everyMs: number; bytes?: number; burst?: number },
) {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  let sent = options.burst ?? 0;
  let timer: NodeJS.Timeout | undefined;
  let received = '';
  let settled = false;
  socket.on('connect', () => {
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: ${options.declared}\r\n\r\n`,
    );
    if (sent) socket.write(Buffer.alloc(sent, 'a'));
    timer = setInterval(() => {
      if (sent < (options.bytes ?? options.declared)) socket.write('a', () => undefined);
      sent++;
    }, options.everyMs);
  });
  socket.on('data', (chunk) => {
    received += chunk.toString();
  });
  socket.on('error', () => undefined);
  const done = new Promise<{ status: number; headers: string; body: string }>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      settled = true;
      const [head = '', body = ''] = received.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1] ?? 0), headers: head.toLowerCase(), body });
    }),
  );
  return {
    done,
    settled: () => settled,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

describe('slow and busy callers', () => {
  const limited = (limits: Partial<ProxyLimits>) => ownPlayground(town.user.url, { limits });

  it("keeps answering a service's other callers while 300 slow uploads to it are under way", async () => {
    const strict = await limited({ bodyTimeoutMs: 8000, maxUploads: 4 });
    // A byte every 200 ms: 270 small bodies, and 30 large ones whose first 100 KB come at once (past the 64 KiB
    // read whole before a call is sent on, so they stream).
    const uploads = Array.from({ length: 300 }, (_, i) =>
      slowUpload(
        strict.url,
        '/svc/user/uploads',
        i % 10 ? { declared: 100, everyMs: 200 } : { declared: 1_000_000, everyMs: 200, burst: 100_000 },
      ),
    );
    onTestFinished(() => {
      for (const upload of uploads) upload.stop();
    });
    await sleep(1000);
    const gets = Array.from({ length: 20 }, () =>
      fetch(`${strict.url}/svc/user/users/u1`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status),
    );
    expect(await Promise.all(gets)).toEqual(Array(20).fill(200));
    // The small ones are still arriving; of the large ones, 4 stream on and the rest were refused at once.
    const small = uploads.filter((_, i) => i % 10);
    expect(small.every((u) => !u.settled())).toBe(true);
    const large = uploads.filter((_, i) => i % 10 === 0);
    expect(large.filter((u) => !u.settled())).toHaveLength(4);
    const refused = await Promise.all(large.filter((u) => u.settled()).map((u) => u.done));
    for (const answer of refused) {
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toEqual({
        detail:
          'user busy: 4 bodies over 64 KiB are streaming to it already (PLAYGROUND_MAX_UPLOADS); try again shortly',
      });
    }
  });

  it('answers 408 with a detail to a body that does not arrive in time, or stops arriving', async () => {
    const strict = await limited({ bodyTimeoutMs: 1000, bodyIdleMs: 400 });
    const before = town.user.seen.length;
    const dripping = slowUpload(strict.url, '/svc/user/drip', { declared: 100, everyMs: 100 });
    const stalled = slowUpload(strict.url, '/svc/user/stall', { declared: 100, everyMs: 20, bytes: 5 });
    onTestFinished(() => {
      dripping.stop();
      stalled.stop();
    });
    const late = await Promise.race([dripping.done, sleep(5000)]);
    expect(late).toMatchObject({ status: 408, headers: expect.stringContaining('connection: close') });
    expect(JSON.parse(late?.body ?? '{}')).toEqual({
      detail: "user: the request's body did not all arrive within 1 s (PLAYGROUND_BODY_TIMEOUT_MS)",
    });
    const idle = await Promise.race([stalled.done, sleep(5000)]);
    expect(idle?.status).toBe(408);
    expect(JSON.parse(idle?.body ?? '{}')).toEqual({
      detail: "user: the request's body stopped arriving for 0.4 s (PLAYGROUND_BODY_IDLE_MS)",
    });
    expect(town.user.seen.length).toBe(before);
    expect(strict.recorder.calls().map((c) => c.status)).toEqual([408, 408]);
  });

  /** A service that answers each call at once, then sends a byte of it every 200 ms until `release()`. */
  const heldService = async () => {
    const held = new Set<() => void>();
    let released = false;
    const { server, url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      if (released) return res.end();
      const drip = setInterval(() => res.write('.'), 200);
      held.add(() => {
        clearInterval(drip);
        res.end();
      });
    }, 0);
    const release = () => {
      released = true;
      for (const end of held) end();
      held.clear();
    };
    onTestFinished(() => {
      release();
      server.closeAllConnections();
      server.close();
    });
    return { url, held: () => held.size, release };
  };

  /** `count` calls at once, one connection each; `answered()` says how many have their answer so far. */
  const callsAtOnce = (base: string, count: number) => {
    let answered = 0;
    const all = Promise.all(
      Array.from({ length: count }, () =>
        rawRequest(base, '/svc/user/x').then((answer) => {
          answered++;
          return answer;
        }),
      ),
    );
    return { all, answered: () => answered };
  };

  /**
   * `count` calls at once through a playground of the test's own (with `options`) to a service that holds every call
   * it gets; once it holds 256 and `early` calls have their answer already, it lets the rest end. Every answer.
   */
  const overflow = async (options: Partial<PlaygroundOptions>, count: number, early: number) => {
    const service = await heldService();
    const own = await ownPlayground(service.url, options);
    const calls = callsAtOnce(own.url, count);
    await eventually(
      () => service.held() === 256 && calls.answered() === early,
      `256 calls held, ${early} answered at once`,
    );
    service.release();
    return calls.all;
  };

  it('refuses with 503 the calls past those a service can hold and queue, and answers the rest', async () => {
    const answers = await overflow({ timeoutMs: 60_000, limits: { maxQueued: 20 } }, 300, 24);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(276);
    const busy = answers.filter((a) => a.status === 503);
    expect(busy).toHaveLength(24);
    for (const answer of busy) {
      expect(answer.json()).toEqual({
        detail:
          'user busy: 256 calls to it are under way and 20 more wait (PLAYGROUND_MAX_QUEUED); try again shortly',
      });
      expect(answer.headers['retry-after']).toBe('1');
    }
  });

  it('answers 503 to a call that waited its whole timeout for one of the calls under way to end', async () => {
    // Its calls are never silent long enough for a 504: they wait for a connection, as for a busy service.
    const answers = await overflow({ timeoutMs: 1000 }, 266, 10);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(256);
    const waited = answers.filter((a) => a.status === 503);
    expect(waited.map((a) => a.json())).toEqual(
      Array(10).fill({
        detail: 'user busy: none of the 256 calls under way to it ended within 1 s; try again shortly',
      }),
    );
  });
});

describe('a service URL that points back at the playground', () => {
  it('is caught as a loop: 508, not an endless chain of requests', async () => {
    const port = await freePort();
    const self = await startPlayground({
      port,
      page: false,
      services: [{ name: 'user', url: `http://127.0.0.1:${port}/svc/user` }],
    });
    try {
      const response = await fetch(`${self.url}/svc/user/users/u1`);
      expect(response.status).toBe(508);
      expect((await readJson(response)).detail).toMatch(/points back at the playground/);
    } finally {
      await self.close();
    }
  });
});
