import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** W3C trace context of the request being handled. */
export interface TraceContext {
  traceId: string;
  spanId: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const storage = new AsyncLocalStorage<TraceContext>();

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Continues the caller's trace when `traceparent` is valid, or starts a new one. */
export function traceFrom(traceparent: string | undefined): TraceContext {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  const traceId = match?.[1] && !/^0+$/.test(match[1]) ? match[1] : hex(16);
  return { traceId, spanId: hex(8) };
}

export function runWithTrace<R>(trace: TraceContext, fn: () => R): R {
  return storage.run(trace, fn);
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** The `traceparent` for an outgoing call: same trace, a new span (a new trace outside a request). */
export function outgoingTraceparent(): string {
  const traceId = currentTrace()?.traceId ?? hex(16);
  return `00-${traceId}-${hex(8)}-01`;
}
