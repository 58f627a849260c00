import { createHash, randomUUID } from 'node:crypto';
import { z } from '@microtown/kit';
import type { Call } from './recorder.js';

/**
 * One span built from a recorded call: the callee's server span, or the caller's client span around it. Written
 * out as OTLP JSON (the exporter, `?format=otlp`) or as Jaeger's JSON (`?format=jaeger`) below.
 */
export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** Whose span it is: the callee for a server span, the caller for a client span (`service.name`). */
  service: string;
  kind: 'server' | 'client';
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number>;
  error: boolean;
  statusMessage?: string;
}

/** The instrumentation scope of every span: the spans are the playground's view of the calls, not the services'. */
export const SCOPE = '@microtown/playground';

// Span ids are derived, not drawn: the exporter and the download route build the same ids for the same call.
// The salt keeps a playground that restarts (its call ids start again at 1) from reusing ids in a trace that goes on.
const RUN = randomUUID();
const hex = (text: string, length: number) =>
  createHash('sha256').update(`${RUN} ${text}`).digest('hex').slice(0, length);

/** The call's trace id; a call recorded without one (its service never answered) is a trace of its own. */
const traceOf = (call: Call) => call.trace_id ?? hex(`call ${call.id}`, 32);
const spanIdOf = (call: Call, kind: TraceSpan['kind']) => hex(`${traceOf(call)} ${call.id} ${kind}`, 16);

/**
 * The call within which the caller made this one: the caller's own call in the same trace, the latest that was
 * still under way when this one started, else the latest before it (orders' outbox delivers after it answered).
 * The proxy sees neither the caller's own span nor its code, so the trace and the timings are what link them.
 */
export function parentCall(call: Call, trace: readonly Call[]): Call | undefined {
  if (call.caller === null || call.trace_id === null) return undefined;
  let under: Call | undefined;
  let before: Call | undefined;
  for (const c of trace) {
    if (c.callee !== call.caller || c.trace_id !== call.trace_id || !(c.started_ms < call.started_ms))
      continue;
    if (c.started_ms + c.duration_ms >= call.started_ms) {
      if (!under || c.started_ms > under.started_ms) under = c;
    } else if (!before || c.started_ms > before.started_ms) before = c;
  }
  return under ?? before;
}

const toNs = (ms: number) => BigInt(Math.round(ms * 1000)) * 1000n;

/** The callee's server span, and for a call from a service of the town, the caller's client span as its parent. */
export function spansOf(call: Call, parent: Call | undefined): TraceSpan[] {
  const traceId = traceOf(call);
  const [path = '', query] = call.path.split(/\?(.*)/s);
  const startNs = toNs(call.started_ms);
  const endNs = startNs + BigInt(Math.round(call.duration_ms * 1e6));
  const http: Record<string, string | number> = {
    'http.request.method': call.method,
    'url.path': path,
    ...(query ? { 'url.query': query } : {}),
    ...(call.status > 0 ? { 'http.response.status_code': call.status } : {}),
    'microtown.call_id': call.id,
  };
  const statusMessage = call.status === 0 ? 'no answer: the caller went away before one was sent' : undefined;
  const span = { traceId, name: `${call.method} ${path}`, startNs, endNs, statusMessage };
  const server: TraceSpan = {
    ...span,
    spanId: spanIdOf(call, 'server'),
    ...(call.caller ? { parentSpanId: spanIdOf(call, 'client') } : {}),
    service: call.callee,
    kind: 'server',
    attributes: { ...http, 'microtown.caller': call.caller ?? 'outside' },
    // As OpenTelemetry's HTTP conventions say: a 4xx is the server's answer, a failure only for the client.
    error: call.status === 0 || call.status >= 500,
  };
  if (!call.caller) return [server];
  const client: TraceSpan = {
    ...span,
    spanId: spanIdOf(call, 'client'),
    ...(parent ? { parentSpanId: spanIdOf(parent, 'server') } : {}),
    service: call.caller,
    kind: 'client',
    attributes: { ...http, 'peer.service': call.callee },
    error: call.status === 0 || call.status >= 400,
  };
  return [client, server];
}

/** Every span of one trace's calls (`recorder.calls({ trace_id })`), in the order the calls started. */
export const traceSpans = (calls: readonly Call[]): TraceSpan[] =>
  calls.flatMap((call) => spansOf(call, parentCall(call, calls)));

// OTLP/JSON: the protobuf JSON mapping, with ids in hex and enums as integers (opentelemetry-proto's trace.proto).
const OtlpValue = z
  .object({ stringValue: z.string().optional(), intValue: z.int().optional() })
  .meta({ id: 'OtlpAnyValue' });
const OtlpKeyValue = z.object({ key: z.string(), value: OtlpValue }).meta({ id: 'OtlpKeyValue' });

const OtlpSpan = z
  .object({
    traceId: z.string().describe('32 lower-case hex digits'),
    spanId: z.string().describe('16 lower-case hex digits'),
    parentSpanId: z.string().optional(),
    name: z.string(),
    kind: z.union([z.literal(2), z.literal(3)]).describe('SPAN_KIND_SERVER (2) or SPAN_KIND_CLIENT (3)'),
    startTimeUnixNano: z.string().describe('nanoseconds since the epoch, a string of digits'),
    endTimeUnixNano: z.string(),
    attributes: z.array(OtlpKeyValue),
    droppedAttributesCount: z.literal(0),
    events: z.tuple([]),
    droppedEventsCount: z.literal(0),
    links: z.tuple([]),
    droppedLinksCount: z.literal(0),
    status: z.object({
      code: z.union([z.literal(0), z.literal(2)]).describe('STATUS_CODE_UNSET (0) or STATUS_CODE_ERROR (2)'),
      message: z.string().optional(),
    }),
  })
  .meta({ id: 'OtlpSpan' });

export const OtlpTraceRequest = z
  .object({
    resourceSpans: z.array(
      z.object({
        resource: z.object({ attributes: z.array(OtlpKeyValue), droppedAttributesCount: z.literal(0) }),
        scopeSpans: z.array(z.object({ scope: z.object({ name: z.string() }), spans: z.array(OtlpSpan) })),
      }),
    ),
  })
  .meta({
    id: 'OtlpTraceRequest',
    description: "OTLP/JSON's ExportTraceServiceRequest, one resource per service",
  });
export type OtlpTraceRequest = z.output<typeof OtlpTraceRequest>;

const keyValues = (attributes: Record<string, string | number>) =>
  Object.entries(attributes).map(([key, value]) => ({
    key,
    value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
  }));

/** Items grouped by key, the groups in the order their first items come. */
const groupBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
};

/** An OTLP export request: the spans grouped by service, each service a resource with its `service.name`. */
export function toOtlp(spans: readonly TraceSpan[]): OtlpTraceRequest {
  return {
    resourceSpans: [...groupBy(spans, (s) => s.service)].map(([service, own]) => ({
      resource: { attributes: keyValues({ 'service.name': service }), droppedAttributesCount: 0 as const },
      scopeSpans: [
        {
          scope: { name: SCOPE },
          spans: own.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: s.kind === 'server' ? (2 as const) : (3 as const),
            startTimeUnixNano: String(s.startNs),
            endTimeUnixNano: String(s.endNs),
            attributes: keyValues(s.attributes),
            droppedAttributesCount: 0 as const,
            events: [] as [],
            droppedEventsCount: 0 as const,
            links: [] as [],
            droppedLinksCount: 0 as const,
            status: {
              code: s.error ? (2 as const) : (0 as const),
              ...(s.statusMessage ? { message: s.statusMessage } : {}),
            },
          })),
        },
      ],
    })),
  };
}

// Jaeger's JSON (jaeger's model/json: what its UI downloads and uploads), with tags as its OTLP translator writes them.
const JaegerTag = z
  .object({
    key: z.string(),
    type: z.enum(['string', 'bool', 'int64']),
    value: z.union([z.string(), z.int(), z.boolean()]),
  })
  .meta({ id: 'JaegerTag' });

const JaegerSpan = z
  .object({
    traceID: z.string(),
    spanID: z.string(),
    flags: z.literal(1),
    operationName: z.string(),
    references: z.array(
      z.object({ refType: z.literal('CHILD_OF'), traceID: z.string(), spanID: z.string() }),
    ),
    startTime: z.int().describe('microseconds since the epoch'),
    duration: z.int().describe('microseconds'),
    tags: z.array(JaegerTag),
    logs: z.tuple([]),
    processID: z.string().describe("a key of the trace's processes"),
  })
  .meta({ id: 'JaegerSpan' });

export const JaegerFile = z
  .object({
    data: z.array(
      z.object({
        traceID: z.string(),
        spans: z.array(JaegerSpan),
        processes: z.record(z.string(), z.object({ serviceName: z.string(), tags: z.tuple([]) })),
      }),
    ),
  })
  .meta({ id: 'JaegerFile', description: "Jaeger's JSON: its UI opens it (Search, JSON File)" });
export type JaegerFile = z.output<typeof JaegerFile>;

type Tag = z.output<typeof JaegerTag>;
const tag = (key: string, value: string | number | boolean): Tag => ({
  key,
  type: typeof value === 'number' ? 'int64' : typeof value === 'boolean' ? 'bool' : 'string',
  value,
});

/** One trace's spans as a Jaeger JSON file; its processes are the services, `p1`, `p2`, ... as first seen. */
export function toJaeger(traceId: string, spans: readonly TraceSpan[]): JaegerFile {
  const processes = new Map(
    [...groupBy(spans, (s) => s.service).keys()].map((name, i) => [name, `p${i + 1}`]),
  );
  return {
    data: [
      {
        traceID: traceId,
        spans: spans.map((s) => ({
          traceID: s.traceId,
          spanID: s.spanId,
          flags: 1 as const,
          operationName: s.name,
          references: s.parentSpanId
            ? [{ refType: 'CHILD_OF' as const, traceID: s.traceId, spanID: s.parentSpanId }]
            : [],
          startTime: Number(s.startNs / 1000n),
          duration: Number((s.endNs - s.startNs) / 1000n),
          tags: [
            ...Object.entries(s.attributes).map(([key, value]) => tag(key, value)),
            tag('span.kind', s.kind),
            tag('otel.scope.name', SCOPE),
            ...(s.error ? [tag('otel.status_code', 'ERROR'), tag('error', true)] : []),
            ...(s.statusMessage ? [tag('otel.status_description', s.statusMessage)] : []),
          ],
          logs: [] as [],
          processID: processes.get(s.service) ?? 'p1',
        })),
        processes: Object.fromEntries(
          [...processes].map(([serviceName, id]) => [id, { serviceName, tags: [] as [] }]),
        ),
      },
    ],
  };
}
