import { type Service as Api, HTTPException, z } from '@microtown/kit';
import { JaegerFile, OtlpTraceRequest, toJaeger, toOtlp, traceSpans } from './otlp.js';
import { EXPORT_OFF, type OtlpExporter } from './otlp-export.js';
import type { Recorder } from './recorder.js';

export interface TraceDeps {
  recorder: Recorder;
  /** The OpenTelemetry export, when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) turned it on. */
  exporter?: OtlpExporter;
}

const tags = ['traces'];

export const TracePath = z.object({
  trace_id: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/)
    .describe('32 hex digits, as in traceparent'),
});

export const TraceQuery = z.object({
  format: z
    .enum(['jaeger', 'otlp'])
    .default('jaeger')
    .describe("jaeger: Jaeger's JSON file; otlp: OTLP/JSON"),
});

export const ExportStatusPublic = z
  .object({
    enabled: z.boolean().describe('OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) was set'),
    url: z.string().nullable().describe('where the spans go'),
    exported_spans: z.int(),
    failed_exports: z.int().describe('requests the receiver refused or never answered'),
    failed_spans: z.int().describe('spans lost with them'),
    dropped_spans: z.int().describe('spans never sent: too many were waiting for a receiver that was down'),
    queued_spans: z.int(),
    last_error: z.string().nullable(),
    last_error_at: z.string().nullable(),
  })
  .meta({ id: 'ExportStatus' });

/** `GET /api/traces/export` (what the OpenTelemetry export sent and lost) and `GET /api/traces/{trace_id}`. */
export function addTraceRoutes(api: Api, { recorder, exporter }: TraceDeps): void {
  api.get(
    '/api/traces/export',
    {
      summary: 'Where the OpenTelemetry export sends the spans, and how many it sent and lost',
      operationId: 'read_trace_export',
      tags,
      response: ExportStatusPublic,
    },
    () => exporter?.status() ?? EXPORT_OFF,
  );

  api.get(
    '/api/traces/{trace_id}',
    {
      summary: "One trace's calls as spans, to take away: Jaeger's JSON or OTLP/JSON",
      description:
        'A server span per call (the callee), and a client span (the caller) around each call between services; ' +
        "a call's client span is the child of its caller's own server span. Jaeger's UI opens the file " +
        '(Search, JSON File); an OpenTelemetry collector takes the OTLP one at /v1/traces.',
      operationId: 'read_trace',
      tags,
      params: TracePath,
      query: TraceQuery,
      response: z.union([JaegerFile, OtlpTraceRequest]),
      errors: { 404: 'No call of this trace recorded (the record keeps the last calls only)' },
    },
    ({ params, query, res }) => {
      // Recorded as the W3C header carries it: lower case.
      const traceId = params.trace_id.toLowerCase();
      const calls = recorder.calls({ trace_id: traceId });
      if (!calls.length)
        throw new HTTPException(404, `No calls recorded for trace ${traceId} (or no longer kept)`);
      const spans = traceSpans(calls);
      res.setHeader('content-disposition', `attachment; filename="trace-${traceId}.${query.format}.json"`);
      return query.format === 'jaeger' ? toJaeger(traceId, spans) : toOtlp(spans);
    },
  );
}
