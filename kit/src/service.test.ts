import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp, type ThingsData } from '../example/app.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { closeServer, serve } from './serve.js';
import { createService } from './service.js';
import { openStore, type Store } from './store.js';

let app: TestApp<Store<ThingsData>>;

beforeAll(async () => {
  const things = [{ id: '1', name: 'lamp', weight: 2 }];
  app = await startTestApp({ name: 'things', openStore: (file) => openStore(file, { things }), createApp });
});
afterAll(() => app.stop());

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const response = await fetch(app.url + path, {
    method,
    body,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, text, json };
}

describe('a service built with the kit, over real HTTP', () => {
  it.each([
    ['GET', '/health', undefined, 200],
    ['GET', '/things', undefined, 200],
    ['GET', '/things/1', undefined, 200],
    ['GET', '/things/404', undefined, 404],
    ['GET', '/things?limit=0', undefined, 422],
    ['POST', '/things', '{"name":"cup","weight":0.3}', 201],
    ['POST', '/things', '{"name":"","weight":1}', 422],
    ['POST', '/things', '{"name":', 422],
    ['DELETE', '/things/1', undefined, 404],
    ['GET', '/nowhere', undefined, 404],
    ['GET', '/boom', undefined, 500],
  ])('%s %s %s -> %i', async (method, path, body, status) => {
    expect((await call(method, path, body)).status).toBe(status);
  });

  it("answers a value nested thousands deep with a 422 in FastAPI's shape, its echo cut short", async () => {
    for (const depth of [5000, 20_000]) {
      const { status, headers, json } = await call(
        'POST',
        '/things',
        `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      );
      expect(status).toBe(422);
      expect(headers.get('content-type')).toMatch(/application\/json/);
      expect(json.detail[0].loc).toEqual(['body', 'name']);
      expect(JSON.stringify(json.detail[0].input)).toContain('"..."');
    }
  });

  it("answers a route's JSON with Express's headers, and HEAD with the same headers and no body", async () => {
    const got = await call('GET', '/things/1');
    expect(got.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(got.headers.get('content-length')).toBe(String(Buffer.byteLength(got.text)));
    expect(got.json).toEqual({ id: '1', name: 'lamp', weight: 2 });
    const head = await call('HEAD', '/things/1');
    expect([head.status, head.text, head.headers.get('content-length')]).toEqual([
      200,
      '',
      String(got.text.length),
    ]);
  });

  it('answers /health with the service name', async () => {
    expect((await call('GET', '/health')).json).toEqual({ status: 'ok', service: 'things' });
  });

  it('returns only the declared response fields', async () => {
    const created = await call('POST', '/things', '{"name":"pen","weight":1,"secret":"x"}');
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), name: 'pen', weight: 1 });
  });

  it('stores what it acknowledged', async () => {
    const created = await call('POST', '/things', '{"name":"book","weight":0.5}');
    const again = await openStore<ThingsData>(app.store.file, { things: [] });
    expect(again.data.things).toContainEqual(created.json);
  });
});

describe('FastAPI-shaped errors', () => {
  it('names each invalid or missing field with type, loc, msg and input', async () => {
    const { status, json } = await call('POST', '/things', '{"weight":"ten","email":"nope"}');
    expect(status).toBe(422);
    expect(json.detail).toEqual([
      {
        type: 'missing',
        loc: ['body', 'name'],
        msg: 'Field required',
        input: { weight: 'ten', email: 'nope' },
      },
      expect.objectContaining({ type: 'float_parsing', loc: ['body', 'weight'], input: 'ten' }),
      expect.objectContaining({ type: 'value_error', loc: ['body', 'email'], input: 'nope' }),
    ]);
  });

  it('reports ranges like pydantic', async () => {
    const { json } = await call('POST', '/things', JSON.stringify({ name: 'x'.repeat(101), weight: -1 }));
    expect(json.detail).toEqual([
      expect.objectContaining({ type: 'string_too_long', loc: ['body', 'name'], ctx: { max_length: 100 } }),
      expect.objectContaining({ type: 'greater_than_equal', loc: ['body', 'weight'], ctx: { ge: 0 } }),
    ]);
  });

  it('answers malformed JSON with 422 json_invalid, never 500', async () => {
    const { status, json } = await call('POST', '/things', '{"name": "x",}');
    expect(status).toBe(422);
    expect(json.detail[0]).toMatchObject({
      type: 'json_invalid',
      loc: ['body', expect.any(Number)],
      msg: 'JSON decode error',
    });
  });

  it('answers a missing body and a non-object body with 422', async () => {
    expect((await call('POST', '/things')).json.detail).toEqual([
      { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
    ]);
    expect((await call('POST', '/things', '[1,2]')).json.detail[0]).toMatchObject({
      type: 'model_attributes_type',
      loc: ['body'],
    });
  });

  it('validates path and query parameters with loc path/query', async () => {
    const long = await call('GET', `/things/${'x'.repeat(65)}`);
    expect(long.status).toBe(422);
    expect(long.json.detail[0].loc).toEqual(['path', 'thing_id']);
    const query = await call('GET', '/things?limit=abc');
    expect(query.json.detail[0]).toMatchObject({ loc: ['query', 'limit'], input: 'abc' });
  });

  it('answers a handler HTTPException with {"detail": "..."}', async () => {
    expect((await call('GET', '/things/nope')).json).toEqual({ detail: 'Thing not found' });
  });

  it('answers unknown routes with FastAPI JSON 404', async () => {
    const { json, headers } = await call('GET', '/no/such/route');
    expect(json).toEqual({ detail: 'Not Found' });
    expect(headers.get('content-type')).toMatch(/application\/json/);
  });

  it('answers oversized bodies with 413', async () => {
    const { status, json } = await call(
      'POST',
      '/things',
      JSON.stringify({ name: 'x'.repeat(200_000), weight: 1 }),
    );
    expect(status).toBe(413);
    expect(json.detail).toMatch(/too large/);
  });

  it('answers hostile ids with 4xx, never 5xx', async () => {
    for (const id of ['..%2f..%2fetc%2fpasswd', '%2e%2e', '%E0%A4%A', '%00']) {
      const { status } = await call('GET', `/things/${id}`);
      expect(status, id).toBeGreaterThanOrEqual(400);
      expect(status, id).toBeLessThan(500);
    }
  });

  it('hides internal errors: 500 with a generic detail, no stack', async () => {
    const { status, text } = await call('GET', '/boom');
    expect(status).toBe(500);
    expect(JSON.parse(text)).toEqual({ detail: 'Internal Server Error' });
    expect(text).not.toMatch(/secret|at .*\.ts/);
  });
});

describe('OpenAPI and docs', () => {
  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const { json } = await call('GET', '/openapi.json');
    expect(json.openapi).toBe('3.1.0');
    expect(json.info.title).toBe('things service');
    const read = json.paths['/things/{thing_id}'].get;
    expect(read).toMatchObject({ operationId: 'get_things_thing_id', summary: 'Read a thing' });
    expect(read.parameters).toEqual([
      expect.objectContaining({ name: 'thing_id', in: 'path', required: true }),
    ]);
    expect(Object.keys(read.responses)).toEqual(expect.arrayContaining(['200', '404', '422']));
    expect(json.paths['/things'].post.responses['201']).toBeDefined();
    expect(json.components.schemas.ThingPublic.required).toEqual(
      expect.arrayContaining(['id', 'name', 'weight']),
    );
  });

  it('keeps operation ids stable and unique', async () => {
    const { json } = await call('GET', '/openapi.json');
    const ids = Object.values(json.paths).flatMap((item) =>
      Object.values(item as object).map((op) => op.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('post_things');
  });

  it('serves Swagger UI from the package, without a CDN', async () => {
    const page = await call('GET', '/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg)/);
    const init = await call('GET', '/docs/swagger-ui-init.js');
    expect(init.text).toContain('../openapi.json');
    expect((await call('GET', '/docs/swagger-ui-bundle.js')).status).toBe(200);
  });
});

describe('tracing', () => {
  it('continues an incoming traceparent and starts one otherwise', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const continued = await call('GET', '/health', undefined, {
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    expect(continued.headers.get('x-trace-id')).toBe(traceId);
    const fresh = await call('GET', '/health', undefined, { traceparent: 'garbage' });
    expect(fresh.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.headers.get('x-trace-id')).not.toBe(traceId);
  });
});

describe('declared headers', () => {
  it('validates them with loc header, hands them typed to the handler and documents them', async () => {
    const service = createService({ name: 'headers' });
    service.post(
      '/echo',
      { summary: 'Echo a key', headers: z.object({ 'idempotency-key': z.string().max(8).optional() }) },
      ({ headers }) => ({ key: headers['idempotency-key'] ?? null }),
    );
    const listening = await serve(service.app, 0);
    try {
      const send = (key?: string) =>
        fetch(`${listening.url}/echo`, { method: 'POST', headers: key ? { 'Idempotency-Key': key } : {} });
      expect(await (await send('abc')).json()).toEqual({ key: 'abc' });
      expect(await (await send()).json()).toEqual({ key: null });
      const tooLong = await send('x'.repeat(9));
      expect(tooLong.status).toBe(422);
      const { detail } = (await tooLong.json()) as { detail: unknown[] };
      expect(detail[0]).toMatchObject({
        type: 'string_too_long',
        loc: ['header', 'idempotency-key'],
      });
      const parameters = service.openapi().paths?.['/echo']?.post?.parameters;
      expect(parameters).toEqual([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]);
    } finally {
      await closeServer(listening.server);
    }
  });
});
