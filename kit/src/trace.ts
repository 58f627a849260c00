import { AsyncLocalStorage } from 'node:async_hooks';
import { randomFillSync } from 'node:crypto';

/** W3C trace context of the request being handled. */
export interface TraceContext {
  traceId: string;
  spanId: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const storage = new AsyncLocalStorage<TraceContext>();

// Ids come from a pool of random bytes filled 4 KiB at a time: far cheaper per request than randomBytes each.
const pool = Buffer.alloc(4096);
let used = pool.length;
function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}
const newTraceId = () => randomHex(16);
const newSpanId = () => randomHex(8);

/** The trace id a W3C `traceparent` header carries, if it is well formed. */
export const traceIdOf = (traceparent: string | undefined): string | undefined =>
  traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined;

/** Continues the caller's trace when `traceparent` is valid, or starts a new one. */
export function traceFrom(traceparent: string | undefined): TraceContext {
  return resumeTrace(traceIdOf(traceparent));
}

/** A new span of a trace whose id was kept (say, with a queued message), or a new trace if the id is not valid. */
export function resumeTrace(traceId: string | undefined): TraceContext {
  const valid = traceId !== undefined && /^[0-9a-f]{32}$/.test(traceId) && !/^0+$/.test(traceId);
  return { traceId: valid ? traceId : newTraceId(), spanId: newSpanId() };
}

// Carrying the trace across awaits costs every request some speed (async hooks in Node 20), so a service pays for
// it only once it can call another service: createClient() switches it on.
let propagating = false;

export function propagateTraces(): void {
  propagating = true;
}

/** Runs `fn` with `trace` as the current trace, when some client may need it. */
export function runWithTrace<R>(trace: TraceContext, fn: () => R): R {
  return propagating ? storage.run(trace, fn) : fn();
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** The `traceparent` for an outgoing call: same trace, a new span (a new trace outside a request). */
export function outgoingTraceparent(): string {
  const traceId = currentTrace()?.traceId ?? newTraceId();
  return `00-${traceId}-${newSpanId()}-01`;
}
