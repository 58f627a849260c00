import { type Logger, UserMistake } from '@microtown/kit';
import { parentCall, spansOf, type TraceSpan, toOtlp } from './otlp.js';
import type { Call, Recorder } from './recorder.js';

/** Where the spans go: an OTLP/HTTP traces endpoint, e.g. Jaeger's `http://127.0.0.1:4318/v1/traces`. */
export interface OtlpSettings {
  url: string;
  /** From `OTEL_EXPORTER_OTLP_TRACES_HEADERS` or `OTEL_EXPORTER_OTLP_HEADERS` (`api-key=secret,x=y`). */
  headers?: Record<string, string>;
}

export interface OtlpExportOptions extends OtlpSettings {
  /** Spans are sent at most this often (default 500 ms), or as soon as `maxBatch` of them wait. */
  intervalMs?: number;
  /** Spans per request (default 512). */
  maxBatch?: number;
  /** Spans held at most while the receiver is slow or down (default 8192); more are dropped, and counted. */
  maxQueue?: number;
  /** How long a call waits for its caller's own call to be recorded, its parent (default 11 s, past the proxy's 10). */
  parentWaitMs?: number;
  /** How long the receiver may take to answer one request (default 10 s). */
  timeoutMs?: number;
  logger?: Logger;
}

/** What the export did: `GET /api/traces/export`, and the line on the page. */
export interface ExportStatus {
  enabled: boolean;
  url: string | null;
  exported_spans: number;
  /** Requests the receiver refused or never answered. */
  failed_exports: number;
  /** Spans lost with them (and spans a receiver's partial success rejected). */
  failed_spans: number;
  /** Spans never sent because too many were waiting already. */
  dropped_spans: number;
  /** Waiting to be sent. */
  queued_spans: number;
  last_error: string | null;
  last_error_at: string | null;
}

export interface OtlpExporter {
  status(): ExportStatus;
  /** Sends what is waiting (calls whose parent has not come go without one), then stops. */
  close(): Promise<void>;
}

export const EXPORT_OFF: ExportStatus = {
  enabled: false,
  url: null,
  exported_spans: 0,
  failed_exports: 0,
  failed_spans: 0,
  dropped_spans: 0,
  queued_spans: 0,
  last_error: null,
  last_error_at: null,
};

const parseHeaders = (text: string | undefined) =>
  Object.fromEntries(
    (text ?? '').split(',').flatMap((pair) => {
      const at = pair.indexOf('=');
      const key = pair.slice(0, at).trim();
      return at > 0 && key ? [[key, decodeURIComponent(pair.slice(at + 1).trim())]] : [];
    }),
  );

/**
 * OpenTelemetry's variables: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used as it is, `OTEL_EXPORTER_OTLP_ENDPOINT`
 * gets `/v1/traces` appended; neither set, no export.
 */
export function readOtlpSettings(env: NodeJS.ProcessEnv = process.env): OtlpSettings | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const name = traces ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const url = traces || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!url) return undefined;
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {}
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new UserMistake(
      `${name}=${traces || base} is not an http(s) URL: give the receiver's OTLP/HTTP address, e.g. ` +
        `${name}=http://127.0.0.1:4318${traces ? '/v1/traces' : ''}`,
    );
  }
  const headers = parseHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS);
  return { url, ...(Object.keys(headers).length ? { headers } : {}) };
}

/** The part of OTLP's ExportTraceServiceResponse an exporter acts on. */
interface ExportResponse {
  partialSuccess?: { rejectedSpans?: number | string; errorMessage?: string };
}

/** Why a request failed, as one line: `connect ECONNREFUSED 127.0.0.1:4318`, `answered 500 ...`. */
const reason = (error: unknown, timeoutMs: number) => {
  const { name, message, cause } = error as { name?: string; message?: string; cause?: { message?: string } };
  if (name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  return cause?.message ?? message ?? String(error);
};

const partialSuccess = (text: string): ExportResponse['partialSuccess'] => {
  try {
    return (JSON.parse(text) as ExportResponse | null)?.partialSuccess;
  } catch {
    return undefined;
  }
};

/**
 * Every call the recorder records, as OTLP/JSON spans sent in batches to `url`. Recording only queues the call;
 * the spans are built and sent on a timer, one request at a time, so a slow or dead receiver never holds up a
 * request. A call waits for its caller's own call (which is recorded when it ends, after its calls) to link to it.
 */
export function createOtlpExporter(recorder: Recorder, options: OtlpExportOptions): OtlpExporter {
  const { url, headers = {}, logger } = options;
  const {
    intervalMs = 500,
    maxBatch = 512,
    maxQueue = 8192,
    parentWaitMs = 11_000,
    timeoutMs = 10_000,
  } = options;
  const counts = { ...EXPORT_OFF, enabled: true, url };
  // The calls of recent traces, to find a call's parent: the trace last heard of last, forgotten after a minute.
  const traces = new Map<string, { calls: Call[]; at: number }>();
  let kept = 0;
  let waiting: { call: Call; since: number }[] = [];
  let waitingSpans = 0;
  const queue: TraceSpan[] = [];
  let sending: Promise<void> | undefined;
  let soon: NodeJS.Immediate | undefined;
  let failing = false;

  const spanCount = (call: Call) => (call.caller ? 2 : 1);

  const remember = (call: Call, at: number) => {
    if (!call.trace_id) return;
    const trace = traces.get(call.trace_id) ?? { calls: [], at };
    traces.delete(call.trace_id);
    trace.calls.push(call);
    trace.at = at;
    traces.set(call.trace_id, trace);
    kept++;
  };
  const forget = (now: number) => {
    for (const [id, trace] of traces) {
      if (now - trace.at < 60_000 && kept <= 20_000) break;
      traces.delete(id);
      kept -= trace.calls.length;
    }
  };

  const unsubscribe = recorder.subscribe((call) => {
    if (queue.length + waitingSpans + spanCount(call) > maxQueue) {
      counts.dropped_spans += spanCount(call);
      return;
    }
    const now = performance.now();
    remember(call, now);
    waiting.push({ call, since: now });
    waitingSpans += spanCount(call);
    if (queue.length + waitingSpans >= maxBatch) soon ??= setImmediate(tick);
  });

  const post = async (batch: TraceSpan[]) => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(toOtlp(batch)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) {
        throw new Error(`answered ${response.status} ${response.statusText} ${text.slice(0, 200)}`);
      }
      const partial = partialSuccess(text);
      const rejected = Math.min(batch.length, Number(partial?.rejectedSpans ?? 0) || 0);
      counts.exported_spans += batch.length - rejected;
      if (rejected) {
        counts.failed_spans += rejected;
        failed(`the receiver rejected ${rejected} spans: ${partial?.errorMessage ?? ''}`);
      } else if (failing) {
        failing = false;
        logger?.warn(`traces: export to ${url} works again`);
      }
    } catch (error) {
      counts.failed_exports++;
      counts.failed_spans += batch.length;
      failed(reason(error, timeoutMs));
    }
  };
  const failed = (why: string) => {
    counts.last_error = why;
    counts.last_error_at = new Date().toISOString();
    if (!failing) logger?.warn(`traces: export to ${url} failed (${why}); the page counts what is lost`);
    failing = true;
  };

  const send = () => {
    if (sending || queue.length === 0) return;
    const batch = queue.splice(0, maxBatch);
    sending = post(batch).finally(() => {
      sending = undefined;
      if (queue.length >= maxBatch) send();
    });
  };

  /** Builds the spans of the calls whose parent is known (or will not come), then sends what it can. */
  function tick(final = false) {
    soon = undefined;
    const now = performance.now();
    const still: typeof waiting = [];
    for (const entry of waiting) {
      const { call } = entry;
      const parent = call.trace_id ? parentCall(call, traces.get(call.trace_id)?.calls ?? []) : undefined;
      if (parent || !call.caller || !call.trace_id || final || now - entry.since >= parentWaitMs) {
        queue.push(...spansOf(call, parent));
        waitingSpans -= spanCount(call);
      } else still.push(entry);
    }
    waiting = still;
    forget(now);
    send();
  }

  const timer = setInterval(tick, intervalMs);
  timer.unref();

  return {
    status: () => ({ ...counts, queued_spans: queue.length + waitingSpans }),
    async close() {
      clearInterval(timer);
      clearImmediate(soon);
      unsubscribe();
      tick(true);
      // A receiver that does not answer must not hold up the playground's exit for long.
      const deadline = new Promise((resolve) => setTimeout(resolve, 2000).unref());
      const drain = async () => {
        while (sending || queue.length) {
          send();
          await sending;
        }
      };
      await Promise.race([drain(), deadline]);
    },
  };
}
