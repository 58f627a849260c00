import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { serve } from '@microtown/kit';
import { freePort } from '@microtown/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTown, type Town } from '../../test/town/town.js';
import { readTown, serviceUrlVariable } from './read-town.js';
import type { Call } from './recorder.js';
import { type Playground, startPlayground } from './start-playground.js';
import { readJson } from './testing/read-json.js';

const ROOT = new URL('../..', import.meta.url).pathname;

let town: Town;
let playground: Playground;
let learner: { server: Server; url: string; openApiReads: number };
let closedUrl: string;

/**
 * A learner's service in another language, as far as the playground can tell: FastAPI's 405 and its inline
 * schemas, a route that fails with 500, one that hangs, and one that calls user (through the playground, as a
 * service of the town does) and then fails with 500 on user's 404.
 */
async function startLearner() {
  const state = { openApiReads: 0 };
  const document = {
    openapi: '3.1.0',
    info: { title: 'learner', version: '0.1.0' },
    paths: {
      '/things': { get: { responses: { 200: {} } }, post: { responses: { 201: {} } } },
      '/slow': { get: { responses: { 200: {} } } },
      '/boom': { get: { responses: { 200: {} } } },
      '/buy': { get: { responses: { 200: {} } } },
    },
  };
  const { server, url } = await serve((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/openapi.json') {
      state.openApiReads++;
      return json(200, document);
    }
    if (req.url === '/health') return json(200, { status: 'ok' });
    if (req.url === '/things' && req.method === 'DELETE') return json(405, { detail: 'Method Not Allowed' });
    if (req.url === '/boom') return json(500, { detail: 'database is locked' });
    if (req.url === '/slow') return setTimeout(() => !res.destroyed && json(200, {}), 2000);
    if (req.url === '/buy') {
      const traceId = String(req.headers.traceparent ?? '').split('-')[1];
      void fetch(`${playground.url}/svc/user/users/nobody`, {
        headers: { 'x-caller': 'learner', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      })
        .then((r) => r.arrayBuffer())
        .then(() => json(500, { detail: 'Internal Server Error' }));
      return;
    }
    json(404, { detail: 'Not Found' });
  }, 0);
  return Object.assign(state, { server, url });
}

beforeAll(async () => {
  const port = await freePort();
  const names = ['user', 'orders'];
  // As npm start runs them: orders reaches user through the playground, so its calls are recorded.
  const through = Object.fromEntries(
    names.map((name) => [serviceUrlVariable(name), `http://127.0.0.1:${port}/svc/${name}`]),
  );
  town = await startTown({ only: names, env: through });
  learner = await startLearner();
  closedUrl = `http://127.0.0.1:${await freePort()}`;
  const direct = Object.fromEntries(names.map((name) => [serviceUrlVariable(name), town.url(name)]));
  const services = (await readTown(ROOT, direct)).filter((s) => names.includes(s.name));
  playground = await startPlayground({
    port,
    page: false,
    timeoutMs: 300,
    services: [
      ...services,
      { name: 'learner', url: learner.url, calls: ['user'] },
      { name: 'gone', url: closedUrl },
    ],
  });
});

afterAll(async () => {
  await playground?.close();
  learner?.server.closeAllConnections();
  learner?.server.close();
  await town?.close();
});

const traceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, header: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
};

/** A call through the proxy, as `caller` (a service of the town) would make it: x-caller and a traceparent. */
async function send(path: string, init: RequestInit & { caller?: string; body?: string } = {}) {
  const { traceId, header } = traceparent();
  const headers: Record<string, string> = { traceparent: header };
  if (init.caller) headers['x-caller'] = init.caller;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${playground.url}/svc${path}`, { ...init, headers });
  await response.arrayBuffer();
  return { status: response.status, traceId };
}

/** The call as recorded: it is recorded when its connection closes, a moment after the answer. */
async function recorded(match: (call: Call) => boolean): Promise<Call> {
  for (let i = 0; i < 100; i++) {
    const found = playground.recorder.calls().find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error('the call was not recorded');
}

async function explain(id: number) {
  const response = await fetch(`${playground.url}/api/calls/${id}/explanation`);
  return { status: response.status, body: await readJson(response) };
}

/** Sends, waits for the record of the call, explains it. */
async function explained(path: string, init: Parameters<typeof send>[1] = {}) {
  const { traceId } = await send(path, init);
  const call = await recorded((c) => c.trace_id === traceId && `/${c.callee}${c.path}` === path);
  const { status, body } = await explain(call.id);
  expect(status).toBe(200);
  expect(body.call_id).toBe(call.id);
  return body;
}

describe('GET /api/calls/{id}/explanation', () => {
  it('wrong URL: names the nearest route from the callee’s OpenAPI', async () => {
    const body = await explained('/user/user/u1', { caller: 'orders' });
    expect(body).toMatchObject({
      kind: 'wrong_url',
      sentence: 'orders called GET /user/u1; user has GET /users/{user_id}.',
      fix: expect.stringContaining('Call GET /users/u1 instead'),
    });
  });

  it('wrong URL: a method the path does not have, from the kit’s 404 and from a FastAPI-style 405', async () => {
    expect((await explained('/user/users/u1', { caller: 'orders', method: 'PUT' })).sentence).toBe(
      'orders called PUT /users/u1; user has /users/{user_id} only for GET, PATCH, DELETE.',
    );
    expect((await explained('/learner/things', { caller: 'orders', method: 'DELETE' })).sentence).toBe(
      'orders called DELETE /things; learner has /things only for GET, POST.',
    );
  });

  it('wrong payload: a missing email and an unknown field, field by field', async () => {
    const body = await explained('/user/users', {
      caller: 'orders',
      method: 'POST',
      body: JSON.stringify({ name: 'Ada', userId: 'u1' }),
    });
    expect(body.kind).toBe('wrong_payload');
    expect(body.details).toEqual([
      { field: 'email', sent: 'nothing', expected: 'string (email), at most 254 characters' },
      { field: 'userId', sent: '"u1"', expected: 'no such field' },
    ]);
  });

  it('wrong payload: userId sent instead of user_id', async () => {
    const body = await explained('/orders/orders', {
      method: 'POST',
      body: JSON.stringify({ userId: 'u1', item_id: 'item1' }),
    });
    expect(body).toMatchObject({
      kind: 'wrong_payload',
      sentence: expect.stringContaining(
        'user_id is missing; userId is not one of its fields (did you mean user_id?)',
      ),
    });
  });

  it('payload warning: an unknown field beside the right ones, on a call the callee accepted', async () => {
    const body = await explained('/user/users', {
      caller: 'orders',
      method: 'POST',
      body: JSON.stringify({ name: 'Ada', email: 'ada@example.com', userId: 'u1' }),
    });
    expect(body).toMatchObject({
      kind: 'payload_warning',
      sentence: expect.stringMatching(/^user accepted POST \/users \(201\)/),
      details: [{ field: 'userId', sent: '"u1"', expected: 'no such field' }],
    });
  });

  it('connection refused: nothing listens where the playground looks', async () => {
    const body = await explained('/gone/users', { caller: 'orders' });
    expect(body.kind).toBe('connection_refused');
    expect(body.sentence).toContain(`Nothing listens at ${closedUrl}`);
    expect(body.sentence).toContain('GONE_SERVICE_URL');
  });

  it('timeout: names how long the call took and the playground’s limit', async () => {
    const body = await explained('/learner/slow', { caller: 'orders' });
    expect(body.kind).toBe('timeout');
    expect(body.sentence).toMatch(/the call took \d+ ms, and the playground waits 300 ms at most/);
  });

  it('the caller gave up: status 0, at the time it went away', async () => {
    const { traceId, header } = traceparent();
    await fetch(`${playground.url}/svc/learner/slow`, {
      headers: { 'x-caller': 'orders', traceparent: header },
      signal: AbortSignal.timeout(100),
    }).catch(() => undefined);
    const call = await recorded((c) => c.trace_id === traceId);
    expect(call.status).toBe(0);
    expect((await explain(call.id)).body).toMatchObject({
      kind: 'caller_gave_up',
      sentence: expect.stringMatching(
        /^orders gave up on GET \/slow after \d+ ms, before learner answered\.$/,
      ),
    });
  });

  it("server error: the callee's 5xx with its detail", async () => {
    expect((await explained('/learner/boom', { caller: 'orders' })).sentence).toBe(
      "learner answered 500 to orders' GET /boom: database is locked.",
    );
  });

  it('unhandled 4xx: user’s 404, and then the caller’s own request answered 500', async () => {
    const { traceId } = await send('/learner/buy');
    const inner = await recorded((c) => c.trace_id === traceId && c.callee === 'user');
    await recorded((c) => c.trace_id === traceId && c.callee === 'learner');
    expect((await explain(inner.id)).body).toMatchObject({
      kind: 'unhandled_4xx',
      sentence:
        "user answered 404 (User not found) to learner's GET /users/nobody, and learner did not handle it: its own GET /buy then answered 500.",
    });
  });

  it('a 4xx the caller answers on purpose is not flagged: orders’ 404 for an unknown user is in its OpenAPI', async () => {
    const { traceId } = await send('/orders/orders', {
      method: 'POST',
      body: JSON.stringify({ user_id: 'nobody', item_id: 'item1' }),
    });
    const inner = await recorded((c) => c.trace_id === traceId && c.callee === 'user');
    await recorded((c) => c.trace_id === traceId && c.callee === 'orders');
    expect((await explain(inner.id)).body).toMatchObject({
      kind: 'ok',
      sentence: expect.stringContaining('orders handled it: its own POST /orders answered 404.'),
    });
  });

  it('reads a service’s OpenAPI once for calls explained close together', async () => {
    const before = learner.openApiReads;
    await explained('/learner/things', { caller: 'orders', method: 'DELETE' });
    await explained('/learner/things', { caller: 'orders', method: 'DELETE' });
    expect(learner.openApiReads - before).toBeLessThanOrEqual(1);
  });

  it('a call that went well is ok', async () => {
    expect(await explained('/user/users/u1', { caller: 'orders' })).toMatchObject({ kind: 'ok', fix: '' });
  });

  it('answers 404 for a call not recorded, 422 for an id that is not one', async () => {
    expect((await explain(999_999)).status).toBe(404);
    expect((await fetch(`${playground.url}/api/calls/abc/explanation`)).status).toBe(422);
  });

  it('keeps the bodies out of the calls list', async () => {
    await send('/user/users', { method: 'POST', body: JSON.stringify({ name: 'Ada' }) });
    const { data } = await readJson(await fetch(`${playground.url}/api/calls?limit=5`));
    expect(data.length).toBeGreaterThan(0);
    for (const call of data) expect(Object.keys(call)).not.toContain('request_body');
  });
});
