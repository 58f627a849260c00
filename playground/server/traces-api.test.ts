import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@microtown/kit/testing';
import type { IExportTraceServiceRequest } from '@opentelemetry/otlp-transformer/build/src/trace/internal-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually } from '../../test/town/http.js';
import { startTown, type Town } from '../../test/town/town.js';
import type { JaegerFile } from './otlp.js';
import { EXPORT_OFF } from './otlp-export.js';
import { readTown, serviceUrlVariable } from './read-town.js';
import { type Playground, startPlayground } from './start-playground.js';
import { townReady } from './testing/town-ready.js';

const ROOT = join(import.meta.dirname, '..', '..');
const spansOf = (request: IExportTraceServiceRequest) =>
  (request.resourceSpans ?? []).flatMap((r) => r.scopeSpans.flatMap((s) => s.spans ?? []));

let town: Town;
let playground: Playground;
let traceId: string;
let orderStarted: number;
// What the exporter sent, to compare with what the page downloads: the same spans, the same ids.
const exported: IExportTraceServiceRequest[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    exported.push(JSON.parse(Buffer.concat(chunks).toString()));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = await freePort();
  const names = (await readTown(ROOT)).map((s) => s.name);
  town = await startTown({
    env: Object.fromEntries(names.map((n) => [serviceUrlVariable(n), `http://127.0.0.1:${port}/svc/${n}`])),
  });
  const direct = Object.fromEntries(names.map((n) => [serviceUrlVariable(n), town.url(n)]));
  playground = await startPlayground({
    port,
    page: false,
    services: await readTown(ROOT, direct),
    otlp: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`, intervalMs: 50 },
  });
  await townReady(playground);
  orderStarted = Date.now();
  const placed = await call(playground.url, 'POST', '/svc/orders/order?user_id=u1&item_id=item1');
  expect(placed.status).toBe(201);
  traceId = placed.json.trace_id;
  // The notification goes out after orders answered: the trace is whole with its fourth call.
  await eventually(
    () => playground.recorder.calls({ trace_id: traceId }).length === 4,
    "the order's four calls",
  );
});

afterAll(async () => {
  await playground?.close();
  await town?.close();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('GET /api/traces/{trace_id}', () => {
  it("is Jaeger's JSON file by default: the four hops, each under the client span of orders that called it", async () => {
    const response = await fetch(`${playground.url}/api/traces/${traceId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="trace-${traceId}.jaeger.json"`,
    );
    const file = (await response.json()) as JaegerFile;
    expect(Object.keys(file)).toEqual(['data']);
    expect(file.data).toHaveLength(1);
    const [trace] = file.data;
    if (!trace) throw new Error('no trace in the file');
    expect(trace.traceID).toBe(traceId);
    expect(Object.values(trace.processes)).toEqual(
      ['orders', 'user', 'inventory', 'notification'].map((serviceName) => ({ serviceName, tags: [] })),
    );

    const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
    const kind = (s: (typeof trace.spans)[number]) => s.tags.find((t) => t.key === 'span.kind')?.value;
    const service = (s: (typeof trace.spans)[number]) => trace.processes[s.processID]?.serviceName;
    for (const span of trace.spans) {
      expect(span.traceID).toBe(traceId);
      expect(span.spanID).toMatch(/^[0-9a-f]{16}$/);
      // Microseconds since the epoch, around the time the order was placed.
      expect(Number.isInteger(span.startTime) && Number.isInteger(span.duration)).toBe(true);
      expect(Math.abs(span.startTime / 1000 - orderStarted)).toBeLessThan(10_000);
      for (const ref of span.references) {
        expect(ref).toMatchObject({ refType: 'CHILD_OF', traceID: traceId });
        expect(byId.has(ref.spanID)).toBe(true);
      }
    }
    const servers = trace.spans.filter((s) => kind(s) === 'server');
    expect(servers.map((s) => [service(s), s.operationName])).toEqual([
      ['orders', 'POST /order'],
      ['user', 'GET /users/u1'],
      ['inventory', 'POST /reservations'],
      ['notification', 'POST /send'],
    ]);
    const [root, ...hops] = servers;
    expect(root?.references).toEqual([]);
    for (const hop of hops) {
      const client = byId.get(hop.references[0]?.spanID ?? '');
      expect(client && [service(client), kind(client), client.operationName]).toEqual([
        'orders',
        'client',
        hop.operationName,
      ]);
      expect(client?.references[0]?.spanID).toBe(root?.spanID);
    }
    expect(trace.spans).toHaveLength(7);
  });

  it('as OTLP/JSON is the very spans the exporter sent, with the same ids', async () => {
    const response = await fetch(`${playground.url}/api/traces/${traceId}?format=otlp`);
    expect(response.status).toBe(200);
    const request = (await response.json()) as IExportTraceServiceRequest;
    const downloaded = spansOf(request);
    expect(downloaded).toHaveLength(7);
    for (const span of downloaded) {
      expect([span.traceId, span.spanId]).toEqual([traceId, expect.stringMatching(/^[0-9a-f]{16}$/)]);
      expect([typeof span.kind, typeof span.startTimeUnixNano]).toEqual(['number', 'string']);
    }
    const sent = () => exported.flatMap(spansOf).filter((s) => s.traceId === traceId);
    await eventually(() => sent().length === 7, 'the export of the order');
    const sorted = (spans: typeof downloaded) =>
      [...spans].sort((a, b) => String(a.spanId).localeCompare(String(b.spanId)));
    expect(sorted(downloaded)).toEqual(sorted(sent()));
  });

  it('takes the id in upper case too', async () => {
    const response = await fetch(`${playground.url}/api/traces/${traceId.toUpperCase()}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as JaegerFile).data[0]?.traceID).toBe(traceId);
  });

  it('answers 404 for a trace it has no call of, in FastAPI shape', async () => {
    const unknown = 'c'.repeat(32);
    const response = await call(playground.url, 'GET', `/api/traces/${unknown}`);
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ detail: `No calls recorded for trace ${unknown} (or no longer kept)` });
  });

  it.each(['xyz', 'a'.repeat(31), 'a'.repeat(33), `${'a'.repeat(31)}g`])(
    'answers 422 for the trace id %s, naming the path parameter',
    async (id) => {
      const response = await call(playground.url, 'GET', `/api/traces/${id}`);
      expect(response.status).toBe(422);
      expect(response.json.detail).toEqual([
        expect.objectContaining({
          loc: ['path', 'trace_id'],
          input: id,
          type: 'string_pattern_mismatch',
        }),
      ]);
    },
  );

  it('answers 422 for a format it does not write, naming the query parameter', async () => {
    const response = await call(playground.url, 'GET', `/api/traces/${traceId}?format=zipkin`);
    expect(response.status).toBe(422);
    expect(response.json.detail).toEqual([
      expect.objectContaining({ loc: ['query', 'format'], input: 'zipkin' }),
    ]);
  });

  it('is documented in the OpenAPI document, with its two formats', async () => {
    const { json } = await call(playground.url, 'GET', '/openapi.json');
    const route = json.paths['/api/traces/{trace_id}'].get;
    const format = route.parameters.find((p: { name: string }) => p.name === 'format');
    expect(format.schema.enum).toEqual(['jaeger', 'otlp']);
    expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['200', '404', '422']));
  });
});

describe('GET /api/traces/export', () => {
  it('says where the spans go and how many went', async () => {
    await eventually(
      async () => (await call(playground.url, 'GET', '/api/traces/export')).json.exported_spans >= 7,
      'spans sent',
    );
    const { json } = await call(playground.url, 'GET', '/api/traces/export');
    expect(json).toMatchObject({ enabled: true, failed_exports: 0, failed_spans: 0, dropped_spans: 0 });
    expect(json.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/traces$/);
  });

  it('says it is off when no endpoint was given', async () => {
    const alone = await startPlayground({ port: 0, page: false, services: [] });
    try {
      const { status, json } = await call(alone.url, 'GET', '/api/traces/export');
      expect([status, json]).toEqual([200, EXPORT_OFF]);
      expect(json.enabled).toBe(false);
    } finally {
      await alone.close();
    }
  });
});
