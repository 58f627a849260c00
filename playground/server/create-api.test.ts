import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from './start-playground.js';
import { openEvents } from './testing/event-stream.js';
import { type FakeService, startFakeService } from './testing/fake-service.js';
import { readJson } from './testing/read-json.js';

let user: FakeService;
let orders: FakeService;
let playground: Playground;
let page: string;

const call = (caller: string, service: string, path: string, traceId = '1'.repeat(32)) =>
  fetch(`${playground.url}/svc/${service}${path}`, {
    headers: { 'x-caller': caller, traceparent: `00-${traceId}-${'2'.repeat(16)}-01` },
  }).then((r) => r.text());

const json = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${playground.url}${path}`, init);
  return { status: response.status, body: response.status === 204 ? undefined : await readJson(response) };
};

beforeAll(async () => {
  user = await startFakeService('user', 7);
  orders = await startFakeService('orders', 2);
  page = await mkdtemp(join(tmpdir(), 'microtown-page-'));
  await writeFile(join(page, 'index.html'), '<!doctype html><title>playground</title>');
  playground = await startPlayground({
    port: 0,
    page,
    probeIntervalMs: 100,
    services: [
      { name: 'user', url: user.url, lists: ['things'] },
      { name: 'orders', url: orders.url, calls: ['user', 'notification'], lists: ['things'] },
      { name: 'notification', url: 'http://127.0.0.1:1' },
    ],
  });
});

afterAll(async () => {
  await playground?.close();
  await user?.close();
  await orders?.close();
  await rm(page, { recursive: true, force: true });
});

beforeEach(() => playground.recorder.clear());

describe('GET /api/graph', () => {
  it('has the expected edges from the manifests and none observed at first', async () => {
    expect(await json('/api/graph')).toEqual({
      status: 200,
      body: {
        expected: [
          { from: 'orders', to: 'user' },
          { from: 'orders', to: 'notification' },
        ],
        observed: [],
      },
    });
  });

  it('counts observed edges with their errors and p50; calls without x-caller are no edge', async () => {
    await call('orders', 'user', '/users/u1');
    await call('orders', 'user', '/users/u2');
    await call('orders', 'notification', '/send');
    await call('user', 'orders', '/orders');
    await fetch(`${playground.url}/svc/user/users/u1`);
    const { body } = await json('/api/graph');
    expect(body.observed).toEqual([
      {
        from: 'orders',
        to: 'user',
        count: 2,
        errors: 0,
        p50_ms: expect.any(Number),
        recent: { count: 2, errors: 0 },
      },
      {
        from: 'orders',
        to: 'notification',
        count: 1,
        errors: 1,
        p50_ms: expect.any(Number),
        recent: { count: 1, errors: 1 },
      },
      {
        from: 'user',
        to: 'orders',
        count: 1,
        errors: 0,
        p50_ms: expect.any(Number),
        recent: { count: 1, errors: 0 },
      },
    ]);
    expect(body.observed[0].p50_ms).toBeGreaterThan(0);
  });
});

describe('GET /api/calls', () => {
  it('lists the calls of one trace, oldest first', async () => {
    const mine = 'c'.repeat(32);
    await call('orders', 'user', '/users/u1', mine);
    await call('orders', 'user', '/users/other');
    await call('orders', 'orders', '/x', mine);
    const { body } = await json(`/api/calls?trace_id=${mine}`);
    expect(body.count).toBe(2);
    expect(body.data.map((c: { path: string }) => c.path)).toEqual(['/users/u1', '/x']);
  });

  it('answers 422 for a malformed trace id', async () => {
    const { status, body } = await json('/api/calls?trace_id=nope');
    expect(status).toBe(422);
    expect(body.detail[0].loc).toEqual(['query', 'trace_id']);
  });

  it('forgets every call on DELETE', async () => {
    await call('orders', 'user', '/users/u1');
    expect((await json('/api/calls', { method: 'DELETE' })).status).toBe(204);
    expect((await json('/api/calls')).body).toEqual({ data: [], count: 0 });
    expect((await json('/api/graph')).body.observed).toEqual([]);
  });
});

describe('switches', () => {
  const put = (service: string, body: unknown) =>
    json(`/api/switches/${service}`, {
      method: 'PUT',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it('takes a service down and back, as the proxy then answers', async () => {
    expect(await put('user', { mode: 'down' })).toEqual({ status: 200, body: { mode: 'down' } });
    expect((await fetch(`${playground.url}/svc/user/users/u1`)).status).toBe(503);
    expect(await put('user', { mode: 'normal' })).toEqual({ status: 200, body: { mode: 'normal' } });
    expect((await fetch(`${playground.url}/svc/user/users/u1`)).status).toBe(200);
  });

  it('slows a service, 1000 ms unless told', async () => {
    expect(await put('user', { mode: 'slow' })).toEqual({
      status: 200,
      body: { mode: 'slow', delay_ms: 1000 },
    });
    expect((await put('user', { mode: 'slow', delay_ms: 20 })).body).toEqual({ mode: 'slow', delay_ms: 20 });
    await put('user', { mode: 'normal' });
  });

  it.each([
    [{ mode: 'off' }, ['body', 'mode']],
    [{ mode: 'slow', delay_ms: -5 }, ['body', 'delay_ms']],
    [{ mode: 'slow', delay_ms: 'long' }, ['body', 'delay_ms']],
  ])('answers 422 for %j', async (body, loc) => {
    const response = await put('user', body);
    expect(response.status).toBe(422);
    expect(response.body.detail[0].loc).toEqual(loc);
  });

  it('answers 404 for a service not in the town', async () => {
    expect(await put('constructor', { mode: 'down' })).toEqual({
      status: 404,
      body: { detail: 'No service constructor in this town' },
    });
  });
});

describe('GET /api/services', () => {
  it('has health, port, record counts and switch of each service', async () => {
    const { body } = await json('/api/services');
    expect(body.count).toBe(3);
    expect(body.data).toEqual([
      expect.objectContaining({
        name: 'user',
        port: Number(new URL(user.url).port),
        health: 'up',
        records: { things: 7 },
        switch: { mode: 'normal' },
      }),
      expect.objectContaining({
        name: 'orders',
        health: 'up',
        records: { things: 2 },
        calls: ['user', 'notification'],
      }),
      expect.objectContaining({ name: 'notification', health: 'down', records: {} }),
    ]);
  });
});

describe('GET /api/services/{service}/records/{list}', () => {
  it('reads the newest records straight from the service, without recording a call', async () => {
    expect(await json('/api/services/user/records/things?last=3')).toEqual({
      status: 200,
      body: { data: [{ id: '5' }, { id: '6' }, { id: '7' }], count: 7 },
    });
    expect(playground.recorder.calls()).toEqual([]);
  });

  it('reads only list routes of the manifests: 404 otherwise, 503 when the service is down', async () => {
    expect((await json('/api/services/user/records/users')).status).toBe(404);
    expect((await json('/api/services/nope/records/things')).status).toBe(404);
    const notification = await startPlayground({
      port: 0,
      page: false,
      services: [{ name: 'notification', url: 'http://127.0.0.1:1', lists: ['notifications'] }],
    });
    try {
      const response = await fetch(`${notification.url}/api/services/notification/records/notifications`);
      expect(response.status).toBe(503);
      expect(await readJson(response)).toEqual({ detail: 'notification unavailable' });
    } finally {
      await notification.close();
    }
  });
});

describe('GET /api/events', () => {
  it('streams the graph, the services and each new call', async () => {
    const { response, until, close } = await openEvents(playground.url);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    try {
      await until(/event: graph\n/);
      await until(/event: services\ndata: \[\{"name":"user"/);
      await call('orders', 'user', '/users/streamed');
      await until(/event: calls\ndata: .*"path":"\/users\/streamed"/);
      await until(/event: graph\ndata: .*"observed":\[\{"from":"orders","to":"user","count":1/);
    } finally {
      close();
    }
  });
});

describe('the rest', () => {
  it('serves the page at /', async () => {
    const response = await fetch(`${playground.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>playground</title>');
  });

  it('answers unknown paths like FastAPI, and has /health and /openapi.json', async () => {
    expect(await json('/nope')).toEqual({ status: 404, body: { detail: 'Not Found' } });
    expect(await json('/health')).toEqual({ status: 200, body: { status: 'ok', service: 'playground' } });
    const { body } = await json('/openapi.json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/graph', '/api/calls', '/api/services', '/api/switches/{service}']),
    );
  });
});
