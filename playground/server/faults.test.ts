import { beforeEach, describe, expect, it } from 'vitest';
import { pathMatcher } from './faults.js';
import { startPlayground } from './start-playground.js';
import { openEvents } from './testing/event-stream.js';
import { useFakeTown } from './testing/fake-town.js';
import { readJson } from './testing/read-json.js';

// orders is drawn calling the other two; its URL is the user fake's, which answers anything.
const town = useFakeTown({ user: [], inventory: [] }, ({ user }) => ({
  services: [{ name: 'orders', url: user.url, calls: ['user', 'inventory'] }],
}));

beforeEach(() => {
  town.playground.faults.clear();
  town.playground.recorder.clear();
});

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${town.playground.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const addFault = async (spec: Record<string, unknown>) => {
  const response = await api('POST', '/api/faults', spec);
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return readJson(response);
};

const hitsOf = async (id: string): Promise<number> => {
  const { data } = await readJson(await api('GET', '/api/faults'));
  return data.find((f: { id: string }) => f.id === id)?.hits;
};

/** A call through the proxy; the body is read, so the connection is free for the next. */
const call = async (
  service: string,
  path: string,
  { caller, method = 'GET', signal }: { caller?: string; method?: string; signal?: AbortSignal } = {},
) => {
  const response = await fetch(`${town.playground.url}/svc/${service}${path}`, {
    method,
    headers: caller ? { 'x-caller': caller } : {},
    signal,
  });
  await response.arrayBuffer();
  return response;
};
const statusOf = async (...args: Parameters<typeof call>) => (await call(...args)).status;

describe('error faults', () => {
  it('fail about the percentage asked for: 30 % of 1,000 calls', async () => {
    const fault = await addFault({ kind: 'error', to: 'user', status: 500, percent: 30 });
    const statuses: number[] = [];
    for (let batch = 0; batch < 20; batch++) {
      statuses.push(...(await Promise.all(Array.from({ length: 50 }, () => statusOf('user', '/users/u1')))));
    }
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed + statuses.filter((s) => s === 200).length).toBe(1000);
    // σ is 1.45 % over 1,000 calls: 5 % is beyond 3σ, a flaky run is rarer than one in a thousand.
    expect(Math.abs(failed / 1000 - 0.3)).toBeLessThan(0.05);
    expect(await hitsOf(fault.id)).toBe(failed);
  });

  it('answer in FastAPI shape; a 429 carries Retry-After, 1 s unless told otherwise', async () => {
    await addFault({ kind: 'error', to: 'user', status: 429, path: '/a' });
    await addFault({ kind: 'error', to: 'user', status: 429, retry_after_s: 7, path: '/b' });
    await addFault({ kind: 'error', to: 'user', path: '/c' });
    const a = await fetch(`${town.playground.url}/svc/user/a`);
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(await readJson(a)).toEqual({
      detail: expect.stringMatching(/^user unreached: 429 from fault f\d+, set in the playground$/),
    });
    expect((await call('user', '/b')).headers.get('retry-after')).toBe('7');
    const c = await call('user', '/c');
    expect([c.status, c.headers.get('retry-after')]).toEqual([503, null]);
    // Answered by the proxy: the service never saw them.
    expect(town.user.seen.filter((s) => ['/a', '/b', '/c'].includes(s.url))).toEqual([]);
  });
});

describe('delay, hang and reset', () => {
  it('delays each call by delay_ms plus up to jitter_ms, then forwards it', async () => {
    await addFault({ kind: 'delay', to: 'user', delay_ms: 100, jitter_ms: 100 });
    const durations = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const started = performance.now();
        expect(await statusOf('user', '/users/u1')).toBe(200);
        return performance.now() - started;
      }),
    );
    // Loose on the upper side: a busy machine is slow, never early.
    for (const ms of durations) expect(ms).toBeGreaterThanOrEqual(95);
    for (const ms of durations) expect(ms).toBeLessThan(600);
  });

  it("hangs: the call ends with the caller's own timeout, and it counts", async () => {
    const fault = await addFault({ kind: 'hang', to: 'user', path: '/held' });
    const started = performance.now();
    const error = await call('user', '/held', { signal: AbortSignal.timeout(300) }).catch((e) => e);
    expect(error.name).toBe('TimeoutError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(await hitsOf(fault.id)).toBe(1);
    expect(town.user.seen.some((s) => s.url === '/held')).toBe(false);
    // Recorded as unanswered once the caller went away.
    await expect
      .poll(() => town.playground.recorder.calls({}).map((c) => [c.path, c.status]))
      .toEqual([['/held', 0]]);
  });

  it('records how it held each call: the delay it waited (jitter included), a hang; nothing for calls it let be', async () => {
    const delay = await addFault({ kind: 'delay', to: 'user', path: '/late', delay_ms: 120, jitter_ms: 0 });
    const hang = await addFault({ kind: 'hang', to: 'user', path: '/held' });
    await call('user', '/late');
    await call('user', '/held', { signal: AbortSignal.timeout(200) }).catch(() => undefined);
    await call('user', '/users/u1');
    await expect
      .poll(() => town.playground.recorder.calls({}).map((c) => [c.path, c.held_by]))
      .toEqual([
        ['/late', `delayed 120 ms by fault ${delay.id}`],
        ['/held', `held without an answer by fault ${hang.id}`],
        ['/users/u1', undefined],
      ]);
  });

  it('resets: the connection is cut with no status at all', async () => {
    const fault = await addFault({ kind: 'reset', to: 'user' });
    const error = await call('user', '/users/u1').catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(error.cause?.code);
    expect(await hitsOf(fault.id)).toBe(1);
  });

  it('delays add up before the fault that ends the call', async () => {
    await addFault({ kind: 'delay', to: 'user', delay_ms: 150 });
    await addFault({ kind: 'error', to: 'user', status: 502 });
    const started = performance.now();
    expect(await statusOf('user', '/x')).toBe(502);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });
});

describe('fail_first', () => {
  it('fails exactly the first n calls, then the service recovers', async () => {
    const fault = await addFault({ kind: 'fail_first', to: 'inventory', n: 3 });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push(await statusOf('inventory', '/items/item1'));
    expect(statuses).toEqual([503, 503, 503, 200, 200, 200]);
    expect(await hitsOf(fault.id)).toBe(3);
  });
});

describe('matching', () => {
  it('on method and a path prefix that ends at a segment', async () => {
    await addFault({ kind: 'error', to: 'user', method: 'POST', path: '/users' });
    expect(await statusOf('user', '/users', { method: 'POST' })).toBe(503);
    expect(await statusOf('user', '/users/u1?x=1', { method: 'POST' })).toBe(503);
    expect(await statusOf('user', '/users', { method: 'GET' })).toBe(200);
    expect(await statusOf('user', '/usersx', { method: 'POST' })).toBe(200);
    expect(await statusOf('user', '/things', { method: 'POST' })).toBe(200);
  });

  it('on a glob, where * is anything', async () => {
    await addFault({ kind: 'error', to: 'user', path: '/users/*/orders' });
    expect(await statusOf('user', '/users/u1/orders')).toBe(503);
    expect(await statusOf('user', '/users/u1')).toBe(200);
    expect(pathMatcher('/items/*')('/items/a/b')).toBe(true);
    expect(pathMatcher('/a.b*')('/axb')).toBe(false);
    expect(pathMatcher('/items/')('/items/1')).toBe(true);
  });

  it('an edge fault only on calls with that x-caller; from outside only on calls with none', async () => {
    await addFault({ kind: 'error', from: 'orders', to: 'user' });
    await addFault({ kind: 'error', from: 'outside', to: 'inventory', status: 500 });
    expect(await statusOf('user', '/users/u1', { caller: 'orders' })).toBe(503);
    expect(await statusOf('user', '/users/u1', { caller: 'inventory' })).toBe(200);
    expect(await statusOf('user', '/users/u1')).toBe(200);
    expect(await statusOf('inventory', '/items', { caller: 'orders' })).toBe(200);
    expect(await statusOf('inventory', '/items')).toBe(500);
  });

  it('a service fault on every caller, and on no other service', async () => {
    await addFault({ kind: 'error', to: 'user' });
    expect(await statusOf('user', '/', { caller: 'orders' })).toBe(503);
    expect(await statusOf('user', '/')).toBe(503);
    expect(await statusOf('inventory', '/', { caller: 'orders' })).toBe(200);
  });
});

describe('/api/faults', () => {
  it('adds with an id and the defaults, lists in order, removes one, clears all', async () => {
    const first = await addFault({ kind: 'error', to: 'user' });
    expect(first).toEqual({ kind: 'error', to: 'user', status: 503, percent: 100, id: first.id, hits: 0 });
    const second = await addFault({ kind: 'delay', from: 'orders', to: 'inventory', delay_ms: 5 });
    expect(second).toMatchObject({ delay_ms: 5, jitter_ms: 0, percent: 100, hits: 0 });
    const listed = await readJson(await api('GET', '/api/faults'));
    expect(listed).toEqual({ data: [first, second], count: 2 });

    expect((await api('DELETE', `/api/faults/${first.id}`)).status).toBe(204);
    const gone = await api('DELETE', `/api/faults/${first.id}`);
    expect([gone.status, await readJson(gone)]).toEqual([404, { detail: `No fault ${first.id}` }]);
    expect((await readJson(await api('GET', '/api/faults'))).data).toEqual([second]);

    expect((await api('DELETE', '/api/faults')).status).toBe(204);
    expect(await readJson(await api('GET', '/api/faults'))).toEqual({ data: [], count: 0 });
  });

  it('refuses bad input with a FastAPI-shaped 422', async () => {
    const refused = async (spec: Record<string, unknown>) => {
      const response = await api('POST', '/api/faults', spec);
      expect(response.status, JSON.stringify(spec)).toBe(422);
      const { detail } = await readJson(response);
      expect(detail.length).toBeGreaterThan(0);
      return detail.map((d: { loc: unknown[] }) => d.loc.join('.'));
    };
    expect(await refused({ kind: 'error', to: 'payments' })).toEqual(['body.to']);
    expect(await refused({ kind: 'error', from: 'nobody', to: 'user' })).toEqual(['body.from']);
    expect(await refused({ kind: 'error', to: 'user', percent: 101 })).toEqual(['body.percent']);
    expect(await refused({ kind: 'error', to: 'user', percent: -1 })).toEqual(['body.percent']);
    expect(await refused({ kind: 'error', to: 'user', status: 418 })).toEqual(['body.status']);
    expect(await refused({ kind: 'delay', to: 'user', delay_ms: -1 })).toEqual(['body.delay_ms']);
    expect(await refused({ kind: 'delay', to: 'user', jitter_ms: -5 })).toEqual(['body.jitter_ms']);
    expect(await refused({ kind: 'fail_first', to: 'user', n: 0 })).toEqual(['body.n']);
    expect(await refused({ kind: 'hang', to: 'user', method: 'get' })).toEqual(['body.method']);
    expect(await refused({ kind: 'reset', to: 'user', path: 'users' })).toEqual(['body.path']);
    expect(await refused({ kind: 'hang', to: 'user', delay_ms: 5 })).toEqual(['body.delay_ms']);
    expect(await refused({ kind: 'explode', to: 'user' })).toHaveLength(1);
    const detail = (await readJson(await api('POST', '/api/faults', { kind: 'error', to: 'payments' })))
      .detail;
    expect(detail[0].msg).toContain(
      'no service payments in this town (its services: user, inventory, orders)',
    );
    expect(await readJson(await api('GET', '/api/faults'))).toEqual({ data: [], count: 0 });
  });

  it('sends the list as the server-sent event `faults`, on connect and when it changes', async () => {
    const { until, close } = await openEvents(town.playground.url);
    try {
      await until(/event: faults\ndata: \[\]\n/);
      await until(/event: services\n/);
      await addFault({ kind: 'hang', to: 'inventory' });
      await until(/event: faults\ndata: \[\{"kind":"hang","to":"inventory"/);
    } finally {
      close();
    }
  });
});

describe('closing the playground', () => {
  it('cuts the calls a hang holds at once', async () => {
    const other = await startPlayground({
      port: 0,
      page: false,
      services: [{ name: 'user', url: town.user.url }],
    });
    other.faults.add({ kind: 'hang', to: 'user' });
    const held = fetch(`${other.url}/svc/user/forever`).catch((e) => e);
    await expect.poll(() => other.faults.list()[0]?.hits).toBe(1);
    const started = performance.now();
    await other.close();
    // Without the cut, the server would wait its second before closing every connection.
    expect(performance.now() - started).toBeLessThan(900);
    expect(await held).toBeInstanceOf(TypeError);
  });
});
