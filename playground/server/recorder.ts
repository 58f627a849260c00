/** One call that passed through the proxy. */
export interface Call {
  /** Increases by one per call, from 1. */
  id: number;
  /** When the request arrived, ISO 8601. */
  time: string;
  /** Epoch milliseconds with sub-millisecond precision, for ordering and timelines. */
  started_ms: number;
  /**
   * From `x-caller` when it names a service of the town; `null` for a call from outside it (the page's console, curl,
   * or an `x-caller` that names no service).
   */
  caller: string | null;
  callee: string;
  method: string;
  path: string;
  /** The answer's status; 0 when the client went away before one was sent. */
  status: number;
  duration_ms: number;
  /** From `traceparent`, else from the answer's `x-trace-id`. */
  trace_id: string | null;
  /** The `Idempotency-Key` the caller sent (its first 200 characters), when it sent one: what makes a retry safe. */
  idempotency_key?: string;
  /** How the playground held the call before passing it on (a fault's delay or hang, the slow switch), if it did. */
  held_by?: string;
  /**
   * The first 16 KB of a JSON request's body, and the first 2 KB of a JSON answer with status >= 400 (its
   * `detail`): what explains a failed call. Kept for the last calls only, and never sent to the page with the call.
   */
  request_body?: string;
  response_body?: string;
}

export interface EdgeStats {
  from: string;
  to: string;
  count: number;
  /** Calls answered 5xx (the proxy's 502/503/504 included) or not answered. */
  errors: number;
  p50_ms: number;
  /**
   * The same over the edge's last few calls only: what its colour says, so that an edge which failed during an
   * outage turns green again once calls pass, while the totals above keep the outage's count.
   */
  recent: { count: number; errors: number };
}

export interface CallQuery {
  trace_id?: string;
  caller?: string;
  callee?: string;
  /** The most recent `limit` matches, in the order they started. */
  limit?: number;
}

export interface Recorder {
  record(call: Omit<Call, 'id'>): Call;
  calls(query?: CallQuery): Call[];
  /** One call by its id, while it is kept. */
  call(id: number): Call | undefined;
  edges(): EdgeStats[];
  clear(): void;
  /** Called after each call is recorded; returns a function that unsubscribes. */
  subscribe(listener: (call: Call) => void): () => void;
}

export interface RecorderOptions {
  /** Calls kept in memory; the oldest go first. */
  maxCalls?: number;
  /** Distinct caller -> callee edges kept (a stray `x-caller` cannot grow memory without bound). */
  maxEdges?: number;
  /** Durations kept per edge for its p50. */
  window?: number;
  /** The last calls per edge that make its `recent` counts (default 10). */
  recent?: number;
  /** The last calls that keep their bodies (default 500): up to 18 KB each, so fewer than the calls. */
  maxBodies?: number;
}

interface Edge {
  from: string;
  to: string;
  count: number;
  errors: number;
  durations: number[];
  next: number;
  /** Whether each of the last `recent` calls failed, oldest overwritten first. */
  failed: boolean[];
  nextFailed: number;
}

const hasBodies = (call: Call) => call.request_body !== undefined || call.response_body !== undefined;

/** The call as the page sees it (the API's Call): the bodies stay in the playground, for the explanations. */
function withoutBodies(call: Call): Call {
  if (!hasBodies(call)) return call;
  const shown = { ...call };
  delete shown.request_body;
  delete shown.response_body;
  return shown;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const value = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value * 100) / 100;
};

/** Every call the proxy sees, bounded in memory, with running statistics per caller -> callee edge. */
export function createRecorder(options: RecorderOptions = {}): Recorder {
  const { maxCalls = 5000, maxEdges = 256, window = 512, recent = 10, maxBodies = 500 } = options;
  let ring: Call[] = [];
  let start = 0;
  let nextId = 1;
  // The calls that keep their bodies, oldest overwritten first: a new one takes them from the one it replaces.
  let withBodies: Call[] = [];
  let nextWithBodies = 0;
  const edges = new Map<string, Edge>();
  const listeners = new Set<(call: Call) => void>();

  const count = (call: Call) => {
    if (call.caller === null) return;
    const key = `${call.caller} ${call.callee}`;
    let edge = edges.get(key);
    if (!edge) {
      if (edges.size >= maxEdges) return;
      edge = {
        from: call.caller,
        to: call.callee,
        count: 0,
        errors: 0,
        durations: [],
        next: 0,
        failed: [],
        nextFailed: 0,
      };
      edges.set(key, edge);
    }
    const failed = call.status === 0 || call.status >= 500;
    edge.count++;
    if (failed) edge.errors++;
    edge.durations[edge.next] = call.duration_ms;
    edge.next = (edge.next + 1) % window;
    edge.failed[edge.nextFailed] = failed;
    edge.nextFailed = (edge.nextFailed + 1) % recent;
  };

  const keepBodies = (call: Call) => {
    if (!hasBodies(call)) return;
    const old = withBodies[nextWithBodies];
    if (old) {
      delete old.request_body;
      delete old.response_body;
    }
    withBodies[nextWithBodies] = call;
    nextWithBodies = (nextWithBodies + 1) % maxBodies;
  };

  return {
    record(fields) {
      const call = { id: nextId++, ...fields };
      if (ring.length < maxCalls) ring.push(call);
      else {
        ring[start] = call;
        start = (start + 1) % maxCalls;
      }
      count(call);
      keepBodies(call);
      if (listeners.size) {
        const shown = withoutBodies(call);
        for (const listener of listeners) listener(shown);
      }
      return call;
    },
    call(id) {
      // The ring holds consecutive ids, the oldest at `start`.
      const oldest = ring[start]?.id ?? 0;
      const found = ring[(start + (id - oldest)) % ring.length];
      return Number.isInteger(id) && id >= oldest && found?.id === id ? found : undefined;
    },
    calls(query = {}) {
      const ordered = start === 0 ? ring : [...ring.slice(start), ...ring.slice(0, start)];
      const matches = ordered.filter(
        (c) =>
          (query.trace_id === undefined || c.trace_id === query.trace_id) &&
          (query.caller === undefined || c.caller === query.caller) &&
          (query.callee === undefined || c.callee === query.callee),
      );
      // Calls are stored as they end; a request that waited for its own calls started before them.
      matches.sort((a, b) => a.started_ms - b.started_ms || a.id - b.id);
      return query.limit === undefined ? matches : matches.slice(-query.limit);
    },
    edges() {
      return [...edges.values()].map(({ from, to, count, errors, durations, failed }) => ({
        from,
        to,
        count,
        errors,
        p50_ms: median(durations),
        recent: { count: failed.length, errors: failed.filter(Boolean).length },
      }));
    },
    clear() {
      ring = [];
      start = 0;
      withBodies = [];
      nextWithBodies = 0;
      edges.clear();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
