import type { IncomingMessage, ServerResponse } from 'node:http';
import { pageOf, z } from '@microtown/kit';
import { SERVICE_NAME } from '@microtown/kit/town';
import { answer } from './answer.js';

/**
 * The fault lab: faults the page (or the API) sets on an edge or a whole service, which the proxy applies to the
 * calls that match, before they reach the service. In memory only: a fault never outlives the playground.
 */

/** What `from` says for a call with no (valid) x-caller: the customer, the page's console, curl. */
export const OUTSIDE = 'outside';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** The answers a failing service really gives: a crash, a proxy's, an overload, a timeout, a rate limit. */
const Status = z.literal([500, 502, 503, 504, 429]);
const RetryAfter = z
  .int()
  .min(0)
  .max(3600)
  .optional()
  .describe('seconds, sent as Retry-After; a 429 sends 1 unless given, the others only when given');

const Scope = {
  to: z.string().max(64).describe('the service called'),
  from: z
    .string()
    .max(64)
    .optional()
    .describe(`the caller (its x-caller), or "${OUTSIDE}" for calls with none; left out, any caller`),
  method: z.enum(METHODS).optional().describe('only calls with this method; left out, any'),
  path: z
    .string()
    .max(300)
    .regex(/^\//)
    .optional()
    .describe(
      'only calls under this path (`/orders` is /orders and /orders/...), or a glob where * is anything',
    ),
  percent: z
    .number()
    .min(0)
    .max(100)
    .default(100)
    .describe('how many of the matching calls it hits, at random'),
};

const ErrorFault = z.strictObject({
  kind: z.literal('error'),
  ...Scope,
  status: Status.default(503),
  retry_after_s: RetryAfter,
});
const DelayFault = z.strictObject({
  kind: z.literal('delay'),
  ...Scope,
  delay_ms: z.int().min(0).max(30_000).default(1000),
  jitter_ms: z.int().min(0).max(30_000).default(0).describe('up to this much more, at random'),
});
const HangFault = z.strictObject({ kind: z.literal('hang'), ...Scope });
const ResetFault = z.strictObject({ kind: z.literal('reset'), ...Scope });
const FailFirstFault = z.strictObject({
  kind: z.literal('fail_first'),
  ...Scope,
  n: z.int().min(1).max(100_000).describe('how many calls fail before the service recovers'),
  status: Status.default(503),
  retry_after_s: RetryAfter,
});

export const FaultInput = z
  .discriminatedUnion('kind', [ErrorFault, DelayFault, HangFault, ResetFault, FailFirstFault])
  .meta({
    id: 'FaultInput',
    description:
      'error: the proxy answers status itself; delay: it waits delay_ms (+ jitter) first; hang: it never answers; ' +
      'reset: it cuts the connection with no answer; fail_first: the first n calls get status, the rest pass.',
  });

const Counted = {
  id: z.string(),
  hits: z.int().describe('calls it acted on: failed, delayed, held or cut'),
};

export const FaultPublic = z
  .discriminatedUnion('kind', [
    ErrorFault.extend(Counted),
    DelayFault.extend(Counted),
    HangFault.extend(Counted),
    ResetFault.extend(Counted),
    FailFirstFault.extend(Counted),
  ])
  .meta({ id: 'Fault' });

export const FaultsPublic = pageOf(FaultPublic, 'Faults');

/** A fault as given: what the schema leaves out gets its default. */
export type FaultSpec = z.input<typeof FaultInput>;
export type Fault = z.output<typeof FaultPublic>;

/** One call as the proxy sees it, before it is forwarded. */
export interface FaultCall {
  /** The raw x-caller header ('' when none). */
  caller: string;
  to: string;
  method: string;
  /** As the service would receive it, query string included. */
  path: string;
}

export interface Faults {
  list(): Fault[];
  add(spec: FaultSpec): Fault;
  /** False when there is no such fault. */
  remove(id: string): boolean;
  clear(): void;
  /**
   * The proxy's hook: acts on the call as the matching faults say (answers, holds or cuts it, maybe after a delay),
   * or calls `pass` to forward it, at once or after the faults' delays.
   */
  apply(call: FaultCall, req: IncomingMessage, res: ServerResponse, pass: () => void): void;
  /**
   * How the faults held the call answered on `res`, for the record: `delayed 2,500 ms by fault f1`, `held without
   * an answer by fault f2`; undefined when none delayed or held it.
   */
  heldBy(res: ServerResponse): string | undefined;
  /** Told when the list changes or a fault hits; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Cuts the calls still held by a hang: the playground is closing. */
  close(): void;
}

/** What ends a call instead of forwarding it. */
type Ending = Extract<Fault, { kind: 'error' | 'hang' | 'reset' | 'fail_first' }>;

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/**
 * `/orders/*` as a glob (anchored, * is any run of characters, slashes too); without a `*`, a prefix that ends at a
 * segment boundary, so that `/order` does not catch `/orders`.
 */
export function pathMatcher(pattern: string): (pathname: string) => boolean {
  if (pattern.includes('*')) {
    const glob = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
    return (pathname) => glob.test(pathname);
  }
  const under = pattern.endsWith('/') ? pattern : `${pattern}/`;
  return (pathname) => pathname === pattern || pathname.startsWith(under);
}

/** The caller as the recorder names it: a service name, else `outside` (where the recorder says null). */
const callerOf = (header: string) => (header.length <= 40 && SERVICE_NAME.test(header) ? header : OUTSIDE);

export function createFaults(random: () => number = Math.random): Faults {
  let faults: { fault: Fault; path?: (pathname: string) => boolean }[] = [];
  const listeners = new Set<() => void>();
  const held = new Set<ServerResponse>();
  const holds = new WeakMap<ServerResponse, string>();
  let lastId = 0;
  const changed = () => {
    for (const listener of listeners) listener();
  };

  const matches = (entry: (typeof faults)[number], call: FaultCall, from: string, pathname: string) => {
    const { fault } = entry;
    if (fault.to !== call.to || (fault.from !== undefined && fault.from !== from)) return false;
    if (fault.method !== undefined && fault.method !== call.method) return false;
    return !entry.path || entry.path(pathname);
  };

  /** Walks the faults in the order they were set: delays add up, the first fault that ends the call ends it. */
  const plan = (call: FaultCall): { delayMs: number; ending?: Ending; hit: boolean; held: string[] } => {
    const from = callerOf(call.caller);
    const pathname = call.path.split('?', 1)[0] as string;
    let delayMs = 0;
    let hit = false;
    const held: string[] = [];
    for (const entry of faults) {
      const { fault } = entry;
      if (!matches(entry, call, from, pathname)) continue;
      // A first-N fault that has failed its N calls is over: the service has recovered.
      if (fault.kind === 'fail_first' && fault.hits >= fault.n) continue;
      if (random() * 100 >= fault.percent) continue;
      fault.hits++;
      hit = true;
      if (fault.kind === 'hang') held.push(`held without an answer by fault ${fault.id}`);
      if (fault.kind !== 'delay') return { delayMs, ending: fault, hit, held };
      const ms = fault.delay_ms + random() * fault.jitter_ms;
      held.push(`delayed ${Math.round(ms).toLocaleString('en')} ms by fault ${fault.id}`);
      delayMs += ms;
    }
    return { delayMs, hit, held };
  };

  const end = (fault: Ending, req: IncomingMessage, res: ServerResponse) => {
    if (fault.kind === 'hang') {
      // Never answered: the caller's own timeout ends it, or the playground closing.
      held.add(res);
      res.once('close', () => held.delete(res));
    } else if (fault.kind === 'reset') {
      // A TCP reset, as a crashed process or a dropped connection gives: no status at all.
      if (!req.socket.destroyed) req.socket.resetAndDestroy();
    } else {
      const retryAfter = fault.retry_after_s ?? (fault.status === 429 ? 1 : undefined);
      if (retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
      const detail = `${fault.to} unreached: ${fault.status} from fault ${fault.id}, set in the playground`;
      answer(res, fault.status, detail);
    }
  };

  return {
    list: () => faults.map(({ fault }) => ({ ...fault })),
    add(spec) {
      // The API has checked it already; from code, this fills the defaults and refuses what the schema would
      // (whether the services exist is the API's to check).
      const fault = { ...FaultInput.parse(spec), id: `f${++lastId}`, hits: 0 };
      faults.push({ fault, path: fault.path === undefined ? undefined : pathMatcher(fault.path) });
      changed();
      return { ...fault };
    },
    remove(id) {
      const before = faults.length;
      faults = faults.filter(({ fault }) => fault.id !== id);
      if (faults.length === before) return false;
      changed();
      return true;
    },
    clear() {
      faults = [];
      changed();
    },
    apply(call, req, res, pass) {
      if (faults.length === 0) return pass();
      const { delayMs, ending, hit, held: how } = plan(call);
      if (hit) changed();
      if (how.length) holds.set(res, how.join(', then '));
      const act = () => (ending ? end(ending, req, res) : pass());
      if (delayMs <= 0) return act();
      const timer = setTimeout(act, delayMs);
      // A caller that gives up during the delay frees it at once.
      res.once('close', () => clearTimeout(timer));
    },
    heldBy: (res) => holds.get(res),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const res of held) res.destroy();
      held.clear();
      listeners.clear();
    },
  };
}
