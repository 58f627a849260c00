import { describe, expect, it } from 'vitest';
import {
  classify,
  describe as describeSchema,
  nearestRoute,
  needsOpenApi,
  type OpenApi,
  pathDistance,
} from './explain.js';
import type { Call } from './recorder.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
let ids = 0;

const call = (over: Partial<Call> = {}): Call => ({
  id: ++ids,
  time: new Date(0).toISOString(),
  started_ms: 1000,
  caller: 'orders',
  callee: 'user',
  method: 'GET',
  path: '/users/u1',
  status: 200,
  duration_ms: 3,
  trace_id: TRACE,
  ...over,
});

const detail = (value: unknown) => JSON.stringify({ detail: value });
/** A learner's own POST /orders, sent from the page, that took 20 ms. */
const placeOrder = (over: Partial<Call> = {}) =>
  call({ caller: null, callee: 'orders', method: 'POST', path: '/orders', duration_ms: 20, ...over });
/** orders asking user for a user it does not have. */
const unknownUser = () =>
  call({
    path: '/users/nobody',
    started_ms: 1002,
    duration_ms: 2,
    status: 404,
    response_body: detail('User not found'),
  });

/** The parts of the user service's document the explanations read, as the kit writes it (refs to components). */
const USER: OpenApi = {
  paths: {
    '/health': { get: { responses: { 200: {} } } },
    '/users': {
      get: { responses: { 200: {}, 422: {} } },
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/UserCreate' } } },
        },
        responses: { 201: {}, 422: {} },
      },
    },
    '/users/{user_id}': {
      get: { responses: { 200: {}, 404: {} } },
      patch: { responses: { 200: {}, 404: {} } },
      delete: { responses: { 204: {}, 404: {} } },
    },
  },
  components: {
    schemas: {
      UserCreate: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100 },
          email: { type: 'string', maxLength: 254, format: 'email' },
        },
        required: ['name', 'email'],
      },
    },
  },
};

const ORDERS: OpenApi = {
  paths: {
    '/orders': {
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/OrderCreate' } } },
        },
        responses: { 201: {}, 404: { description: 'User not found, or Item not found' }, 422: {} },
      },
    },
  },
  components: {
    schemas: {
      OrderCreate: {
        type: 'object',
        properties: {
          user_id: { type: 'string', minLength: 1, maxLength: 64 },
          item_id: { type: 'string', minLength: 1, maxLength: 64 },
          quantity: { type: 'integer', minimum: 1, maximum: 1000, default: 1 },
        },
        required: ['user_id', 'item_id'],
      },
    },
  },
};

/** A learner's FastAPI service: its schemas inline, 405 for a method a path does not have. */
const FASTAPI: OpenApi = {
  paths: {
    '/things': {
      get: { responses: { 200: {} } },
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { title: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
                required: ['title'],
              },
            },
          },
        },
        responses: { 201: {} },
      },
    },
  },
};

describe('routes', () => {
  it('measures paths segment by segment, a {param} matching anything', () => {
    expect(pathDistance(['users', 'u1'], ['users', '{user_id}'])).toBe(0);
    expect(pathDistance(['user', 'u1'], ['users', '{user_id}'])).toBe(1);
    expect(pathDistance(['user', 'u1'], ['users'])).toBe(3);
  });

  it('finds the nearest route, the same method first', () => {
    const routes = Object.entries(USER.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item).map((method) => ({ method: method.toUpperCase(), path, operation: {} })),
    );
    expect(nearestRoute('GET', '/user/u1', routes)).toMatchObject({
      method: 'GET',
      path: '/users/{user_id}',
    });
    expect(nearestRoute('DELETE', '/user/u1', routes)).toMatchObject({
      method: 'DELETE',
      path: '/users/{user_id}',
    });
  });
});

describe('classify', () => {
  it('wrong URL: a 404 for a path the callee does not have names its nearest route', () => {
    const wrong = call({ path: '/user/u1', status: 404, response_body: detail('Not Found') });
    expect(classify(wrong, USER, [wrong])).toEqual({
      call_id: wrong.id,
      kind: 'wrong_url',
      sentence: 'orders called GET /user/u1; user has GET /users/{user_id}.',
      fix: expect.stringContaining('Call GET /users/u1 instead'),
    });
  });

  it('wrong URL: a method the path does not have (405, or the kit’s 404) names the methods it has', () => {
    const fastapi = call({ callee: 'shop', method: 'DELETE', path: '/things', status: 405 });
    expect(classify(fastapi, FASTAPI, [])).toMatchObject({
      kind: 'wrong_url',
      sentence: 'orders called DELETE /things; shop has /things only for GET, POST.',
    });
    const kit = call({ method: 'PUT', path: '/users/u1', status: 404 });
    expect(classify(kit, USER, []).sentence).toBe(
      'orders called PUT /users/u1; user has /users/{user_id} only for GET, PATCH, DELETE.',
    );
  });

  it('wrong payload: what was sent against what the schema wants, field by field', () => {
    const sent = call({
      method: 'POST',
      path: '/users',
      status: 422,
      request_body: JSON.stringify({ name: 'Ada', userId: 'u1' }),
    });
    const explained = classify(sent, USER, []);
    expect(explained).toMatchObject({
      kind: 'wrong_payload',
      sentence: "user rejected orders' POST /users (422): email is missing; userId is not one of its fields.",
      fix: expect.stringContaining(
        'Send what UserCreate wants: name (string, 1–100 characters), email (string (email), at most 254 characters)',
      ),
    });
    expect(explained.details).toEqual([
      { field: 'email', sent: 'nothing', expected: 'string (email), at most 254 characters' },
      { field: 'userId', sent: '"u1"', expected: 'no such field' },
    ]);
  });

  it('wrong payload: suggests the field meant, and says what a wrong type should be', () => {
    const sent = call({
      callee: 'orders',
      caller: null,
      method: 'POST',
      path: '/orders',
      status: 422,
      request_body: JSON.stringify({ userId: 'u1', item_id: 'item1', quantity: '2' }),
    });
    expect(classify(sent, ORDERS, []).details).toEqual([
      { field: 'user_id', sent: 'nothing', expected: 'string, 1–64 characters' },
      { field: 'quantity', sent: '"2"', expected: 'integer, 1–1000' },
      { field: 'userId', sent: '"u1"', expected: 'no such field: did you mean user_id?' },
    ]);
  });

  it('wrong payload: without a body to check, the callee’s own 422 says it, for any language', () => {
    const items = [{ type: 'missing', loc: ['body', 'email'], msg: 'Field required', input: {} }];
    const sent = call({ method: 'POST', path: '/users', status: 422, response_body: detail(items) });
    expect(classify(sent, null, [])).toMatchObject({
      kind: 'wrong_payload',
      details: [{ field: 'email', sent: 'nothing', expected: 'Field required' }],
    });
    const query = [
      { type: 'int_parsing', loc: ['query', 'limit'], msg: 'Input should be a valid integer', input: 'x' },
    ];
    const listed = call({ path: '/users?limit=x', status: 422, response_body: detail(query) });
    expect(classify(listed, USER, []).details).toEqual([
      { field: 'limit (in the query)', sent: '"x"', expected: 'Input should be a valid integer' },
    ]);
  });

  it('warns of an unknown field on a call the callee accepted', () => {
    const sent = call({
      method: 'POST',
      path: '/users',
      status: 201,
      request_body: JSON.stringify({ name: 'Ada', email: 'ada@example.com', user_Id: 'u1', mail: 'x' }),
    });
    const explained = classify(sent, USER, []);
    expect(explained).toMatchObject({
      kind: 'payload_warning',
      sentence: expect.stringMatching(
        /^user accepted POST \/users \(201\), but the body does not match UserCreate: /,
      ),
      fix: 'Remove user_Id, mail from what orders sends, or rename mail to email: user drops fields it does not know, and their values with them.',
    });
    expect(explained.details?.map((d) => d.field)).toEqual(['user_Id', 'mail']);
  });

  it('no warning for a body that matches, nor for a schema that allows more fields', () => {
    const ok = call({
      method: 'POST',
      path: '/users',
      status: 201,
      request_body: '{"name":"Ada","email":"a@b.io"}',
    });
    expect(classify(ok, USER, []).kind).toBe('ok');
    const open = structuredClone(USER);
    Object.assign(open.components?.schemas?.UserCreate as object, { additionalProperties: true });
    const extra = call({ ...ok, id: ++ids, request_body: '{"name":"Ada","email":"a@b.io","x":1}' });
    expect(classify(extra, open, []).kind).toBe('ok');
  });

  it('connection refused: names the *_SERVICE_URL the caller used and the URL the playground tried', () => {
    const refused = call({
      status: 503,
      response_body: detail('user unavailable (nothing answers at http://127.0.0.1:4999)'),
    });
    const explained = classify(refused, null, []);
    expect(explained.kind).toBe('connection_refused');
    expect(explained.sentence).toContain('Nothing listens at http://127.0.0.1:4999');
    expect(explained.sentence).toContain('USER_SERVICE_URL');
    expect(explained.fix).toContain('Start user');
  });

  it('a service switched off in the playground', () => {
    const off = call({
      status: 503,
      response_body: detail('user unavailable (switched off in the playground)'),
    });
    expect(classify(off, null, [])).toMatchObject({
      kind: 'connection_refused',
      fix: expect.stringContaining('Services card'),
    });
  });

  it('timeout: the proxy’s 504 names how long the call took and the playground’s limit', () => {
    const slow = call({
      status: 504,
      duration_ms: 312.4,
      response_body: detail('user did not answer within 0.3 s'),
    });
    expect(classify(slow, null, []).sentence).toBe(
      "user did not answer orders' GET /users/u1 in time: the call took 312 ms, and the playground waits 300 ms at most before it answers 504.",
    );
    const forgotten = call({ status: 504, duration_ms: 10_003 });
    expect(classify(forgotten, null, [], { timeoutMs: 10_000 })).toMatchObject({ kind: 'timeout' });
  });

  it('the caller gave up: status 0, with the time it gave up at', () => {
    expect(classify(call({ status: 0, duration_ms: 1500 }), null, [])).toMatchObject({
      kind: 'caller_gave_up',
      sentence: 'orders gave up on GET /users/u1 after 1.5 s, before user answered.',
    });
  });

  it('the caller gave up on a call the playground held: its timeout at work, named with both durations', () => {
    const held = call({ status: 0, duration_ms: 2004, held_by: 'delayed 2,500 ms by fault f1' });
    expect(classify(held, null, [])).toEqual({
      call_id: held.id,
      kind: 'caller_gave_up',
      sentence:
        'orders gave up on GET /users/u1 after 2 s, before user answered: the playground had the call delayed 2,500 ms by fault f1, longer than orders waits.',
      fix: "That is orders' timeout at work (2 s): clear the fault or the slow switch, or make it shorter than that, and the call passes.",
    });
  });

  it("server error: the callee's 5xx with its detail, and the failed call of its own that came first", () => {
    const outer = placeOrder({ status: 503, response_body: detail('user unavailable') });
    const inner = call({
      started_ms: 1002,
      duration_ms: 2,
      status: 503,
      response_body: detail('user unavailable (nothing answers at http://127.0.0.1:4999)'),
    });
    const explained = classify(outer, ORDERS, [outer, inner]);
    expect(explained.kind).toBe('server_error');
    expect(explained.sentence).toBe(
      'orders answered 503 to POST /orders (from outside the town): user unavailable. It had called user (GET /users/u1), which answered 503.',
    );
    const crashed = call({
      status: 502,
      response_body: detail('user closed the connection without an answer (ECONNRESET)'),
    });
    expect(classify(crashed, null, []).fix).toContain('crashed');
  });

  it('unhandled 4xx: the caller’s own request then answered 5xx, or passed the same 4xx on', () => {
    const outer = placeOrder({ status: 500 });
    const inner = unknownUser();
    expect(classify(inner, USER, [outer, inner])).toMatchObject({
      kind: 'unhandled_4xx',
      sentence:
        "user answered 404 (User not found) to orders' GET /users/nobody, and orders did not handle it: its own POST /orders then answered 500.",
    });
    const passed = { ...outer, status: 404 };
    expect(classify(inner, USER, [passed, inner], { callerOpenApi: null }).kind).toBe('unhandled_4xx');
  });

  it('a 4xx the caller answers on purpose (listed in its OpenAPI) is handled', () => {
    const outer = placeOrder({ status: 404 });
    const inner = unknownUser();
    expect(classify(inner, USER, [outer, inner], { callerOpenApi: ORDERS })).toMatchObject({
      kind: 'ok',
      sentence: expect.stringContaining('orders handled it: its own POST /orders answered 404.'),
    });
  });

  it('reads the OpenAPI only where it tells something', () => {
    expect(needsOpenApi(call({ status: 404 }))).toBe(true);
    expect(needsOpenApi(call({ status: 201, request_body: '{}' }))).toBe(true);
    expect(needsOpenApi(call({ status: 200 }))).toBe(false);
    expect(needsOpenApi(call({ status: 503 }))).toBe(false);
  });

  it('describes schemas as a person would', () => {
    expect(describeSchema({ type: 'integer', minimum: 1 })).toBe('integer, at least 1');
    expect(describeSchema({ enum: ['a', 'b'] })).toBe('one of "a", "b"');
    expect(describeSchema({ type: ['string', 'null'] })).toBe('string or null');
    expect(describeSchema({ type: 'array', items: { type: 'string' } })).toBe('array of string');
  });
});
