import type { IExportTraceServiceRequest } from '@opentelemetry/otlp-transformer/build/src/trace/internal-types.js';
import { describe, expect, it } from 'vitest';
import { JaegerFile, OtlpTraceRequest, parentCall, spansOf, toJaeger, toOtlp, traceSpans } from './otlp.js';
import type { Call } from './recorder.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0 = 1_700_000_000_123.456;

let nextId = 1;
const call = (fields: Partial<Call> & Pick<Call, 'callee' | 'path'>): Call => ({
  id: nextId++,
  time: new Date(T0).toISOString(),
  started_ms: T0,
  caller: 'orders',
  method: 'GET',
  status: 200,
  duration_ms: 1,
  trace_id: TRACE,
  ...fields,
});

// An order as the proxy records it: the customer's POST ends after user and inventory answered, and is recorded
// after them; the outbox calls notification once the order has been answered.
const user = call({ callee: 'user', path: '/users/u1', started_ms: T0 + 5, duration_ms: 4.5 });
const inventory = call({
  callee: 'inventory',
  method: 'POST',
  path: '/reservations',
  status: 201,
  started_ms: T0 + 12,
  duration_ms: 8,
});
const order = call({
  caller: null,
  callee: 'orders',
  method: 'POST',
  path: '/order?user_id=u1&item_id=item1',
  status: 201,
  started_ms: T0,
  duration_ms: 30.25,
});
const notification = call({
  callee: 'notification',
  method: 'POST',
  path: '/send',
  status: 201,
  started_ms: T0 + 45,
  duration_ms: 2,
});
const recorded = [user, inventory, order, notification];

describe('parentCall', () => {
  it("links each call to its caller's own call under way, else to the caller's latest call before it", () => {
    expect(parentCall(user, recorded)).toBe(order);
    expect(parentCall(inventory, recorded)).toBe(order);
    expect(parentCall(notification, recorded)).toBe(order);
    expect(parentCall(order, recorded)).toBeUndefined();
  });

  it('picks the innermost call under way over one that is over, never one that started later or another trace', () => {
    const outer = call({ caller: null, callee: 'orders', path: '/a', started_ms: T0, duration_ms: 100 });
    const over = call({ caller: null, callee: 'orders', path: '/e', started_ms: T0 + 11, duration_ms: 2 });
    const inner = call({
      caller: 'user',
      callee: 'orders',
      path: '/b',
      started_ms: T0 + 10,
      duration_ms: 50,
    });
    const later = call({ caller: null, callee: 'orders', path: '/c', started_ms: T0 + 21, duration_ms: 5 });
    const other = call({
      caller: null,
      callee: 'orders',
      path: '/d',
      started_ms: T0 + 15,
      trace_id: 'f'.repeat(32),
    });
    const child = call({ callee: 'inventory', path: '/stock/item1', started_ms: T0 + 20 });
    expect(parentCall(child, [outer, over, inner, later, other, child])).toBe(inner);
    expect(parentCall(child, [over, later, other, child])).toBe(over);
    expect(parentCall(child, [later, other, child])).toBeUndefined();
  });
});

describe('spansOf', () => {
  it('a call between services is a client span of the caller around a server span of the callee', () => {
    const [client, server] = spansOf(user, order);
    const [orderServer] = spansOf(order, undefined);
    expect(client).toMatchObject({
      service: 'orders',
      kind: 'client',
      name: 'GET /users/u1',
      traceId: TRACE,
    });
    expect(server).toMatchObject({ service: 'user', kind: 'server', parentSpanId: client?.spanId });
    expect(client?.parentSpanId).toBe(orderServer?.spanId);
    expect(orderServer?.parentSpanId).toBeUndefined();
    expect(client?.attributes).toMatchObject({ 'peer.service': 'user', 'http.response.status_code': 200 });
    for (const span of [client, server, orderServer]) expect(span?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set([client?.spanId, server?.spanId, orderServer?.spanId]).size).toBe(3);
  });

  it('gives the same ids to the same call every time: the export and the download agree', () => {
    expect(spansOf(user, order)).toEqual(spansOf(user, order));
    expect(traceSpans(recorded)).toEqual(traceSpans([...recorded]));
  });

  it('splits the query from the path, and times the span in nanoseconds from the recorded milliseconds', () => {
    const [server] = spansOf(order, undefined);
    expect(server?.name).toBe('POST /order');
    expect(server?.attributes).toMatchObject({
      'url.path': '/order',
      'url.query': 'user_id=u1&item_id=item1',
    });
    expect(server?.startNs).toBe(1_700_000_000_123_456_000n);
    expect(server?.endNs).toBe(1_700_000_000_123_456_000n + 30_250_000n);
  });

  it('marks a 5xx or no answer as an error on both sides, a 4xx on the client side only', () => {
    const errors = (status: number) =>
      spansOf(call({ callee: 'user', path: '/users/x', status }), undefined).map((s) => [s.kind, s.error]);
    expect(errors(404)).toEqual([
      ['client', true],
      ['server', false],
    ]);
    expect(errors(503)).toEqual([
      ['client', true],
      ['server', true],
    ]);
    expect(errors(201)).toEqual([
      ['client', false],
      ['server', false],
    ]);
    const [, gone] = spansOf(call({ callee: 'user', path: '/users/x', status: 0 }), undefined);
    expect(gone).toMatchObject({ error: true, statusMessage: expect.stringMatching(/^no answer/) });
    expect(gone?.attributes).not.toHaveProperty('http.response.status_code');
  });

  it('a call recorded without a trace id gets a trace of its own', () => {
    const [a] = spansOf(call({ caller: null, callee: 'user', path: '/', trace_id: null }), undefined);
    const [b] = spansOf(call({ caller: null, callee: 'user', path: '/', trace_id: null }), undefined);
    expect(a?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a?.traceId).not.toBe(b?.traceId);
  });
});

describe('toOtlp', () => {
  it("is OTLP/JSON's ExportTraceServiceRequest: one resource per service, hex ids, enum integers, string times", () => {
    // The compiler checks our shape against OpenTelemetry's own types; the rest checks the JSON mapping.
    const request: IExportTraceServiceRequest = toOtlp(traceSpans(recorded));
    const json = JSON.parse(JSON.stringify(request));
    expect(OtlpTraceRequest.parse(json)).toEqual(json);
    const services = json.resourceSpans.map(
      (r: { resource: { attributes: unknown[] } }) => r.resource.attributes,
    );
    expect(services).toEqual(
      ['orders', 'user', 'inventory', 'notification'].map((name) => [
        { key: 'service.name', value: { stringValue: name } },
      ]),
    );
    const spans = request.resourceSpans?.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans ?? [])) ?? [];
    expect(spans).toHaveLength(7);
    for (const span of spans) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.startTimeUnixNano).toMatch(/^\d+$/);
      expect(span.endTimeUnixNano).toMatch(/^\d+$/);
      expect(BigInt(String(span.endTimeUnixNano)) >= BigInt(String(span.startTimeUnixNano))).toBe(true);
      expect([2, 3]).toContain(span.kind);
    }
    const byName = (name: string, kind: number) => spans.find((s) => s.name === name && s.kind === kind);
    expect(byName('GET /users/u1', 2)?.parentSpanId).toBe(byName('GET /users/u1', 3)?.spanId);
    expect(byName('GET /users/u1', 3)?.parentSpanId).toBe(byName('POST /order', 2)?.spanId);
    expect(byName('POST /order', 2)).not.toHaveProperty('parentSpanId');
    expect(byName('POST /order', 2)?.attributes).toContainEqual({
      key: 'http.response.status_code',
      value: { intValue: 201 },
    });
  });
});

describe('toJaeger', () => {
  it("is Jaeger's JSON file: microseconds, CHILD_OF references, a process per service", () => {
    const file = toJaeger(TRACE, traceSpans(recorded));
    expect(JaegerFile.parse(file)).toEqual(file);
    const [trace] = file.data;
    expect(trace?.traceID).toBe(TRACE);
    expect(Object.values(trace?.processes ?? {}).map((p) => p.serviceName)).toEqual([
      'orders',
      'user',
      'inventory',
      'notification',
    ]);
    const root = trace?.spans.find((s) => s.operationName === 'POST /order');
    expect(root).toMatchObject({ startTime: 1_700_000_000_123_456, duration: 30_250, references: [] });
    expect(trace?.processes[root?.processID ?? '']?.serviceName).toBe('orders');
    const userServer = trace?.spans.find(
      (s) =>
        s.operationName === 'GET /users/u1' &&
        s.tags.some((t) => t.key === 'span.kind' && t.value === 'server'),
    );
    expect(trace?.processes[userServer?.processID ?? '']?.serviceName).toBe('user');
    const [reference] = userServer?.references ?? [];
    const userClient = trace?.spans.find((s) => s.spanID === reference?.spanID);
    expect(reference?.refType).toBe('CHILD_OF');
    expect(userClient?.references[0]?.spanID).toBe(root?.spanID);
    expect(userClient?.tags).toContainEqual({ key: 'span.kind', type: 'string', value: 'client' });
  });

  it('tags an error as its OTLP translator does: otel.status_code ERROR and error true', () => {
    const failed = call({ callee: 'user', path: '/users/u1', status: 503 });
    const { data } = toJaeger(TRACE, spansOf(failed, undefined));
    for (const span of data[0]?.spans ?? []) {
      expect(span.tags).toContainEqual({ key: 'error', type: 'bool', value: true });
      expect(span.tags).toContainEqual({ key: 'otel.status_code', type: 'string', value: 'ERROR' });
      expect(span.tags).toContainEqual({ key: 'http.response.status_code', type: 'int64', value: 503 });
    }
  });
});
