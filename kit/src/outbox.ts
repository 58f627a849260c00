import { HTTPException } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import type { Store } from './store.js';
import { resumeTrace, runWithTrace } from './trace.js';

/** Something a service must get to another service even if that one is down now, kept in `data.outbox`. */
export interface OutboxEntry {
  /** Which handler delivers it. */
  kind: string;
  /** Unique in the outbox. */
  id: string;
  /** The trace of the request that queued it: the calls its delivery makes join that trace. */
  trace_id?: string;
}

/**
 * What a delivery came to. `'retry'`: the target is down or failed, the entry stays and is tried again later.
 * `'delivered'`: the entry leaves the outbox. A function: delivered, and this change to the data is saved in the same
 * write that removes the entry (say, marking an order's confirmation sent).
 */
export type Delivery<T> = 'retry' | 'delivered' | ((data: T) => void);

/** How one kind of entry is delivered. */
export interface OutboxHandler<T, E> {
  /** The service it goes to: once that one is found down, its other entries wait for the next pass. */
  target: string;
  /** Makes the call; throwing counts as `'retry'` (a 503 silently, anything else with a line in the log). */
  deliver(entry: E): Promise<Delivery<T>>;
}

/** A handler for each kind of entry. */
export type OutboxHandlers<T, E extends OutboxEntry> = {
  [K in E['kind']]: OutboxHandler<T, Extract<E, { kind: K }>>;
};

export interface OutboxOptions<T, R extends OutboxEntry> {
  /**
   * Entries found in the data at start, for work a crash left half done (an order left `placing`). They are
   * delivered like the outbox's own, first, but kept in memory only: what they were found in is on disk already.
   */
  recover?: (data: T) => R[];
  /** Where failed deliveries are logged (a logger named `outbox` by default). */
  logger?: Logger;
  /** The wait before retrying after a target was found down: 100 ms, doubling up to `maxRetryMs` (2000 ms). */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** Deliveries under way at once (8). */
  concurrency?: number;
}

export interface Outbox {
  /** Delivers what is due now, or right after the pass under way: call it once entries were added. */
  deliverSoon(): void;
  /** Finds the `recover` entries, then delivers what the file holds. */
  start(): void;
  /** Stops retrying and waits for the deliveries under way. */
  stop(): Promise<void>;
}

/**
 * At-least-once delivery: a service writes an entry into `data.outbox` in the same write as the change it belongs
 * to, calls `deliverSoon()`, and the outbox hands it to its kind's handler until the handler says it is done,
 * retrying with backoff while the target is down. An entry may be delivered twice (a crash after the call, before
 * its removal reached the disk): an Idempotency-Key on the call makes that harmless.
 */
export function createOutbox<T extends { outbox: OutboxEntry[] }, R extends OutboxEntry = never>(
  store: Store<T>,
  handlers: OutboxHandlers<T, T['outbox'][number] | R>,
  options: OutboxOptions<T, R> = {},
): Outbox {
  const { firstRetryMs, maxRetryMs, concurrency } = checkOptions(handlers, options);
  const logger = options.logger ?? createLogger('outbox');
  const handlerOf = (entry: OutboxEntry) =>
    (handlers as Record<string, OutboxHandler<T, OutboxEntry> | undefined>)[entry.kind];
  const recovered = new Set<OutboxEntry>();
  let passUnderWay: Promise<void> | undefined;
  let passAgain = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let backoff = firstRetryMs;

  // The removal may be lost in a crash: the entry is then delivered again, which its key makes harmless.
  function delivered(entry: OutboxEntry, change?: (data: T) => void) {
    if (recovered.delete(entry) && !change) return;
    store.updateSoon((data) => {
      const at = data.outbox.indexOf(entry);
      if (at >= 0) data.outbox.splice(at, 1);
      change?.(data);
    });
  }

  /** Delivers one entry; false when its target is down. */
  async function deliver(entry: OutboxEntry, handler: OutboxHandler<T, OutboxEntry>): Promise<boolean> {
    try {
      const outcome = await runWithTrace(resumeTrace(entry.trace_id), () => handler.deliver(entry));
      if (outcome === 'retry') return false;
      delivered(entry, outcome === 'delivered' ? undefined : outcome);
      return true;
    } catch (error) {
      // A 503 means the target is closed: expected, retried. Anything else is worth a line in the log.
      if (!(error instanceof HTTPException && error.status === 503))
        logger.error({ err: error, entry }, 'outbox');
      return false;
    }
  }

  /** Everything due, a few at a time; a target found down is not asked again in this pass. */
  async function deliveryPass(): Promise<boolean> {
    const entries = [...recovered, ...store.data.outbox];
    const down = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < entries.length && !stopped) {
        const entry = entries[next++] as OutboxEntry;
        const handler = handlerOf(entry);
        if (!handler) {
          logger.error({ entry }, `outbox: no handler for kind "${entry.kind}"; the entry stays`);
          continue;
        }
        if (down.has(handler.target)) continue;
        if (!(await deliver(entry, handler))) down.add(handler.target);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return down.size === 0;
  }

  async function deliverAll(): Promise<void> {
    do {
      passAgain = false;
      if (!(await deliveryPass())) {
        retryLater();
        return;
      }
      backoff = firstRetryMs;
    } while (passAgain && !stopped);
  }

  function retryLater() {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      deliverSoon();
    }, backoff);
    timer.unref();
    backoff = Math.min(backoff * 2, maxRetryMs);
  }

  function deliverSoon() {
    if (stopped) return;
    if (passUnderWay) {
      passAgain = true;
      return;
    }
    passUnderWay = deliverAll().finally(() => {
      passUnderWay = undefined;
    });
  }

  return {
    deliverSoon,
    start() {
      for (const entry of options.recover?.(store.data) ?? []) recovered.add(entry);
      deliverSoon();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await passUnderWay;
    },
  };
}

type Timing = Pick<OutboxOptions<unknown, OutboxEntry>, 'firstRetryMs' | 'maxRetryMs' | 'concurrency'>;

/** The timing with its defaults; a handler or a number that cannot work stops here, naming it. */
function checkOptions(handlers: object, options: Timing): Required<Timing> {
  for (const [kind, handler] of Object.entries(handlers)) {
    if (typeof handler?.deliver !== 'function' || typeof handler?.target !== 'string') {
      throw new Error(
        `createOutbox: the handler for "${kind}" needs a target and a deliver function, e.g. { target: 'notification', deliver: async (entry) => 'delivered' }`,
      );
    }
  }
  const timing = {
    firstRetryMs: options.firstRetryMs ?? 100,
    maxRetryMs: options.maxRetryMs ?? 2000,
    concurrency: options.concurrency ?? 8,
  };
  for (const [name, value] of Object.entries(timing)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `createOutbox: ${name} must be a whole number above 0 (got ${value}), e.g. ${name}: 100`,
      );
    }
  }
  return timing;
}
