import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@microtown/kit/testing';
import type {
  IExportTraceServiceRequest,
  ISpan,
} from '@opentelemetry/otlp-transformer/build/src/trace/internal-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually } from '../../test/town/http.js';
import { startTown, type Town } from '../../test/town/town.js';
import { createOtlpExporter, type ExportStatus, readOtlpSettings } from './otlp-export.js';
import { readTown, serviceUrlVariable } from './read-town.js';
import { type Call, createRecorder } from './recorder.js';
import { type Playground, startPlayground } from './start-playground.js';
import { townReady } from './testing/town-ready.js';

const ROOT = join(import.meta.dirname, '..', '..');
const HEX = (length: number) => new RegExp(`^[0-9a-f]{${length}}$`);

/**
 * What the proto JSON mapping of OTLP asks of a payload, beyond what the types can say: hex ids of the right
 * length, enums as integers, 64-bit times as strings of digits, each attribute with one typed value.
 */
function problemsOf(body: unknown): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const request = body as IExportTraceServiceRequest;
  check(Array.isArray(request?.resourceSpans) && request.resourceSpans.length > 0, 'resourceSpans: a list');
  for (const resource of request?.resourceSpans ?? []) {
    const names = resource.resource?.attributes.filter((a) => a.key === 'service.name') ?? [];
    check(names.length === 1 && typeof names[0]?.value.stringValue === 'string', 'one service.name string');
    check(Array.isArray(resource.scopeSpans), 'scopeSpans: a list');
    for (const scope of resource.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        const where = `span ${JSON.stringify(span.name)}`;
        check(HEX(32).test(String(span.traceId)), `${where}: traceId is 32 lower-case hex`);
        check(HEX(16).test(String(span.spanId)), `${where}: spanId is 16 lower-case hex`);
        check(
          span.parentSpanId === undefined || HEX(16).test(String(span.parentSpanId)),
          `${where}: parentSpanId is 16 lower-case hex`,
        );
        check(
          Number.isInteger(span.kind) && span.kind >= 1 && span.kind <= 5,
          `${where}: kind is an integer`,
        );
        for (const time of [span.startTimeUnixNano, span.endTimeUnixNano]) {
          check(typeof time === 'string' && /^\d+$/.test(time), `${where}: times are strings of digits`);
        }
        check(
          BigInt(String(span.endTimeUnixNano)) >= BigInt(String(span.startTimeUnixNano)),
          `${where}: ends after it starts`,
        );
        check(
          Number.isInteger(span.status?.code) && span.status.code <= 2,
          `${where}: status.code an integer`,
        );
        for (const { key, value } of span.attributes ?? []) {
          check(
            typeof key === 'string' && Object.keys(value ?? {}).length === 1,
            `${where}: attribute ${key}`,
          );
        }
      }
    }
  }
  return problems;
}

interface Received {
  path: string;
  contentType: string | undefined;
  request: IExportTraceServiceRequest;
}

/** An OTLP/HTTP receiver on a free port: checks and keeps each payload, or answers 500, or never answers. */
async function startReceiver() {
  const received: Received[] = [];
  const problems: string[] = [];
  const held: ServerResponse[] = [];
  const state = { mode: 'ok' as 'ok' | 'fail' | 'hang' };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (state.mode === 'hang') return held.push(res);
      if (state.mode === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"the receiver is broken"}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString());
      problems.push(...problemsOf(body));
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], request: body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const spans = () =>
    received.flatMap(({ request }) =>
      (request.resourceSpans ?? []).flatMap((r) => {
        const service = r.resource?.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
        return r.scopeSpans.flatMap((s) => (s.spans ?? []).map((span) => ({ service, ...span })));
      }),
    );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    problems,
    state,
    spans,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const exportStatus = async (playground: Playground): Promise<ExportStatus> =>
  (await call(playground.url, 'GET', '/api/traces/export')).json;

describe('readOtlpSettings', () => {
  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, 'http://127.0.0.1:4318/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }, 'http://jaeger:4318/v1/traces'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example/otlp' },
      'https://collector.example/otlp/v1/traces',
    ],
    [
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:9999/traces',
      },
      'http://b:9999/traces',
    ],
  ])('%o sends to %s', (env, url) => {
    expect(readOtlpSettings(env)?.url).toBe(url);
  });

  it('is off when neither variable is set, and refuses an endpoint that is not an http URL, with an example', () => {
    expect(readOtlpSettings({})).toBeUndefined();
    expect(readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeUndefined();
    expect(() => readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4317' })).toThrow(
      "OTEL_EXPORTER_OTLP_ENDPOINT=jaeger:4317 is not an http(s) URL: give the receiver's OTLP/HTTP address, e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318",
    );
  });

  it('reads the headers as OpenTelemetry writes them, the traces ones first', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%20t, x = 1,bad',
    };
    expect(readOtlpSettings(env)?.headers).toEqual({ 'api-key': 's t', x: '1' });
    expect(readOtlpSettings({ ...env, OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'only=this' })?.headers).toEqual({
      only: 'this',
    });
  });
});

describe('the exporter in batches', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver?.close());

  const fromOutside = (i: number): Omit<Call, 'id'> => ({
    time: new Date().toISOString(),
    started_ms: Date.now() + i / 1000,
    caller: null,
    callee: 'user',
    method: 'GET',
    path: `/users/u${i}`,
    status: 200,
    duration_ms: 0.5,
    trace_id: i.toString(16).padStart(32, '0'),
  });

  it('sends as soon as 512 spans wait, at most 512 a request; the rest on the timer, or when it closes', async () => {
    receiver.received.length = 0;
    const recorder = createRecorder();
    const exporter = createOtlpExporter(recorder, { url: `${receiver.url}/v1/traces`, intervalMs: 60_000 });
    for (let i = 1; i <= 1200; i++) recorder.record(fromOutside(i));
    await eventually(() => receiver.received.length === 2, 'two full batches, long before the timer');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sizes = () =>
      receiver.received.map(
        ({ request }) =>
          request.resourceSpans?.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans ?? [])).length,
      );
    expect(sizes()).toEqual([512, 512]);
    expect(exporter.status()).toMatchObject({ exported_spans: 1024, queued_spans: 176, failed_exports: 0 });
    await exporter.close();
    expect(sizes()).toEqual([512, 512, 176]);
    expect(new Set(receiver.spans().map((s) => s.spanId)).size).toBe(1200);
    expect(receiver.problems).toEqual([]);
    expect(exporter.status()).toMatchObject({ exported_spans: 1200, queued_spans: 0 });
  });

  it("holds a call until its caller's own call is recorded, to link them; an orphan goes after parentWaitMs", async () => {
    receiver.received.length = 0;
    const recorder = createRecorder();
    const exporter = createOtlpExporter(recorder, { url: receiver.url, intervalMs: 20, parentWaitMs: 500 });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      const trace = 'a'.repeat(32);
      const at = Date.now();
      // As the proxy records them: orders' call to user ends, and is recorded, before the order that made it.
      recorder.record({ ...fromOutside(1), caller: 'orders', started_ms: at + 2, trace_id: trace });
      await sleep(200);
      expect(receiver.spans()).toEqual([]);
      recorder.record({
        ...fromOutside(2),
        callee: 'orders',
        started_ms: at,
        duration_ms: 5,
        trace_id: trace,
      });
      await eventually(() => receiver.spans().length === 3, 'the order and its call, linked');
      const [client, server, root] = ['GET /users/u1', 'GET /users/u1', 'GET /users/u2'].map((name, i) =>
        receiver.spans().find((s) => s.name === name && s.kind === (i === 0 ? 3 : 2)),
      );
      expect(server?.parentSpanId).toBe(client?.spanId);
      expect(client?.parentSpanId).toBe(root?.spanId);

      const orphan = { ...fromOutside(3), caller: 'orders', trace_id: 'b'.repeat(32) };
      const recorded = performance.now();
      recorder.record(orphan);
      await sleep(250);
      expect(receiver.spans().filter((s) => s.traceId === orphan.trace_id)).toEqual([]);
      await eventually(() => receiver.spans().some((s) => s.traceId === orphan.trace_id), 'the orphan');
      expect(performance.now() - recorded).toBeGreaterThanOrEqual(500);
      const alone = receiver.spans().find((s) => s.traceId === orphan.trace_id && s.kind === 3);
      expect(alone?.parentSpanId).toBeUndefined();
    } finally {
      await exporter.close();
    }
  });

  it('sends what came in one request per interval', async () => {
    receiver.received.length = 0;
    const recorder = createRecorder();
    const exporter = createOtlpExporter(recorder, { url: receiver.url, intervalMs: 100 });
    try {
      for (let i = 1; i <= 3; i++) recorder.record(fromOutside(i));
      await eventually(() => receiver.received.length === 1, 'one batch');
      expect(receiver.spans().map((s) => s.name)).toEqual([
        'GET /users/u1',
        'GET /users/u2',
        'GET /users/u3',
      ]);
    } finally {
      await exporter.close();
    }
  });
});

describe('the town exported', () => {
  let town: Town;
  let playground: Playground;
  let receiver: Receiver;
  let direct: Record<string, string>;

  // The town wired as `npm start` wires it, with OTEL_EXPORTER_OTLP_ENDPOINT at our receiver.
  beforeAll(async () => {
    receiver = await startReceiver();
    const port = await freePort();
    const names = (await readTown(ROOT)).map((s) => s.name);
    town = await startTown({
      env: Object.fromEntries(names.map((n) => [serviceUrlVariable(n), `http://127.0.0.1:${port}/svc/${n}`])),
    });
    direct = Object.fromEntries(names.map((n) => [serviceUrlVariable(n), town.url(n)]));
    playground = await startPlayground({
      port,
      page: false,
      services: await readTown(ROOT, direct),
      otlp: readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
    });
    await townReady(playground);
  });

  afterAll(async () => {
    await playground?.close();
    await town?.close();
    await receiver?.close();
  });

  /** The chapter's order, placed from outside; its trace id is the one orders answers with. */
  const placeOrder = async (through: Playground) => {
    const started = performance.now();
    const response = await fetch(`${through.url}/svc/orders/order?user_id=u1&item_id=item1`, {
      method: 'POST',
    });
    expect(response.status).toBe(201);
    await response.text();
    return { traceId: response.headers.get('x-trace-id') ?? '', ms: performance.now() - started };
  };

  it('an order is a trace of four hops, each server span under the client span of orders that called it', async () => {
    const { traceId } = await placeOrder(playground);
    expect(traceId).toMatch(HEX(32));
    const ofTrace = () => receiver.spans().filter((s) => s.traceId === traceId);
    const servers = () => ofTrace().filter((s) => s.kind === 2);
    await eventually(() => servers().length === 4, 'the four server spans of the order', {
      timeoutMs: 15_000,
    });

    expect(receiver.problems).toEqual([]);
    expect(
      receiver.received.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json'),
    ).toBe(true);
    const spans = ofTrace();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const hop = (service: string) => servers().find((s) => s.service === service) as (typeof spans)[number];
    const root = hop('orders');
    expect(root).toMatchObject({ name: 'POST /order', status: { code: 0 } });
    expect(root.parentSpanId).toBeUndefined();
    for (const [service, name] of [
      ['user', 'GET /users/u1'],
      ['inventory', 'POST /reservations'],
      ['notification', 'POST /send'],
    ] as const) {
      const server = hop(service);
      const client = byId.get(String(server.parentSpanId)) as ISpan & { service?: string };
      expect(server.name).toBe(name);
      expect(client).toMatchObject({ service: 'orders', kind: 3, name, parentSpanId: root.spanId });
      expect(client.attributes).toContainEqual({ key: 'peer.service', value: { stringValue: service } });
    }
    // Four server spans, three client spans: nothing else in this trace.
    expect(spans).toHaveLength(7);
  });

  it('a receiver that answers 500: the failure is counted, the town keeps answering, and later spans go out', async () => {
    const before = await exportStatus(playground);
    receiver.state.mode = 'fail';
    try {
      await placeOrder(playground);
      await eventually(
        async () => (await exportStatus(playground)).failed_exports > before.failed_exports,
        'a failure',
      );
      const failed = await exportStatus(playground);
      expect(failed.failed_spans).toBeGreaterThan(before.failed_spans);
      expect(failed.last_error).toMatch(/^answered 500 Internal Server Error/);
      expect((await call(playground.url, 'GET', '/api/graph')).status).toBe(200);
    } finally {
      receiver.state.mode = 'ok';
    }
    const { traceId } = await placeOrder(playground);
    await eventually(() => receiver.spans().some((s) => s.traceId === traceId), 'the next order exported');
  });

  /** A second playground in front of the same town, exporting elsewhere: the calls from outside come to it. */
  const withPlayground = async (
    otlp: Parameters<typeof startPlayground>[0]['otlp'],
    test: (p: Playground) => Promise<void>,
  ) => {
    const other = await startPlayground({
      port: 0,
      page: false,
      services: await readTown(ROOT, direct),
      otlp,
    });
    try {
      await test(other);
    } finally {
      await other.close();
    }
  };

  it('a receiver that is down: each failed export is counted with its reason, and the playground answers', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}/v1/traces`;
    await withPlayground({ url: nobody, intervalMs: 50 }, async (other) => {
      await placeOrder(other);
      await eventually(async () => (await exportStatus(other)).failed_exports >= 1, 'a failed export');
      const status = await exportStatus(other);
      expect(status).toMatchObject({ enabled: true, url: nobody, exported_spans: 0 });
      expect(status.failed_spans).toBeGreaterThanOrEqual(1);
      expect(status.last_error).toMatch(/ECONNREFUSED/);
      expect(status.last_error_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      await placeOrder(other);
    });
  });

  it('a receiver that never answers holds up no request: orders answer as fast, the export times out', async () => {
    receiver.state.mode = 'hang';
    try {
      await withPlayground({ url: receiver.url, intervalMs: 50, timeoutMs: 1000 }, async (other) => {
        await placeOrder(other);
        // The export of the first order hangs now; the next orders do not wait for it.
        await new Promise((resolve) => setTimeout(resolve, 200));
        for (let i = 0; i < 3; i++) expect((await placeOrder(other)).ms).toBeLessThan(900);
        await eventually(async () => (await exportStatus(other)).failed_exports >= 1, 'the export timed out');
        expect((await exportStatus(other)).last_error).toBe('no answer within 1 s');
      });
    } finally {
      receiver.state.mode = 'ok';
    }
  });
});
