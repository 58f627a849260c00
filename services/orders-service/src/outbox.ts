import {
  createLogger,
  HTTPException,
  type Logger,
  resumeTrace,
  runWithTrace,
  type Store,
} from '@microtown/kit';
import type { InventoryClient } from './clients/inventory.js';
import type { NotificationClient } from './clients/notification.js';
import { orderBook } from './order-book.js';
import type { OrderRecord, OrdersData, OutboxEntry } from './store.js';

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2000;
const CONCURRENCY = 8;

/** The confirmation of an order, to be delivered to notification even if it is down now. */
export const notifyEntry = (order: OrderRecord): OutboxEntry => ({
  kind: 'notify',
  id: `notify-${order.id}`,
  order_id: order.id,
  user_id: order.user_id,
  message: `Order ${order.id} confirmed: ${order.quantity} x ${order.item_id}`,
  trace_id: order.trace_id,
});

/** Stock that may have been reserved for an order that failed: to be given back even if inventory is down now. */
export const releaseEntry = (order: OrderRecord): OutboxEntry => ({
  kind: 'release',
  id: `release-${order.id}`,
  order_id: order.id,
  trace_id: order.trace_id,
});

type Task = OutboxEntry | { kind: 'reconcile'; id: string; order_id: string };

export interface Outbox {
  /** Delivers what is due now (new entries were added). */
  kick(): void;
  /** Settles orders a crash left `placing`, then delivers what the file holds. */
  start(): void;
  /** Stops retrying and waits for deliveries under way. */
  stop(): Promise<void>;
}

export interface OutboxDeps {
  inventory: InventoryClient;
  notification: NotificationClient;
  logger?: Logger;
}

/**
 * The outbox: entries are written in the same file, in the same write, as the order they belong to, then
 * delivered from here, retried with backoff while the other service is down. Delivery is at least once; the
 * Idempotency-Key on each call makes it once.
 */
export function createOutbox(store: Store<OrdersData>, deps: OutboxDeps): Outbox {
  const logger = deps.logger ?? createLogger('orders');
  const book = orderBook(store);
  const orphans = new Set<string>();
  let draining: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let backoff = RETRY_FIRST_MS;

  // A delivery mark may be lost in a crash: the entry is then delivered again, and its key makes that harmless.
  const done = (entry: OutboxEntry, change: (data: OrdersData) => void = () => {}) =>
    store.updateSoon((data) => {
      const at = data.outbox.indexOf(entry);
      if (at >= 0) data.outbox.splice(at, 1);
      change(data);
    });

  async function notify(entry: Extract<OutboxEntry, { kind: 'notify' }>): Promise<boolean> {
    const { user_id, message } = entry;
    const answer = await runWithTrace(resumeTrace(entry.trace_id), () =>
      deps.notification.send({ user_id, message }, `order-${entry.order_id}`),
    );
    if (answer.status >= 500) return false;
    const sent = answer.status < 300;
    if (!sent)
      logger.error(
        { order_id: entry.order_id, status: answer.status, body: answer.body },
        'notification refused a confirmation',
      );
    done(entry, () => {
      const order = book.get(entry.order_id);
      if (order) order.notification = sent ? 'sent' : 'failed';
    });
    return true;
  }

  async function release(entry: OutboxEntry): Promise<boolean> {
    const answer = await runWithTrace(resumeTrace(entry.trace_id), () =>
      deps.inventory.release(entry.order_id),
    );
    if (answer.status >= 500) return false;
    // 204 released, 404 never reserved: either way nothing is held for this order any more.
    if (answer.status !== 204 && answer.status !== 404) {
      logger.error({ order_id: entry.order_id, status: answer.status }, 'inventory refused a release');
    }
    done(entry);
    return true;
  }

  async function reconcile(orderId: string): Promise<boolean> {
    const order = book.get(orderId);
    if (order?.status === 'placing') {
      const answer = await runWithTrace(resumeTrace(order.trace_id), () =>
        deps.inventory.getReservation(orderId),
      );
      if (answer.status >= 500) return false;
      await store.update((data) => {
        if (answer.status === 200 && answer.body.status === 'held') {
          order.status = 'confirmed';
          data.outbox.push(notifyEntry(order));
          again = true;
        } else {
          book.remove(data, order);
        }
      });
    }
    orphans.delete(orderId);
    return true;
  }

  const run = async (task: Task): Promise<boolean> => {
    try {
      if (task.kind === 'notify') return await notify(task);
      if (task.kind === 'release') return await release(task);
      return await reconcile(task.order_id);
    } catch (error) {
      // A 503 means the other shop is closed: expected, retried. Anything else is worth a line in the log.
      if (!(error instanceof HTTPException && error.status === 503))
        logger.error({ err: error, task }, 'outbox');
      return false;
    }
  };

  /** One pass over everything due, a few at a time; a service found down is not asked again in this pass. */
  async function pass(): Promise<boolean> {
    const tasks: Task[] = [
      ...[...orphans].map((order_id) => ({
        kind: 'reconcile' as const,
        id: `reconcile-${order_id}`,
        order_id,
      })),
      ...store.data.outbox,
    ];
    const down = new Set<string>();
    const target = (task: Task) => (task.kind === 'notify' ? 'notification' : 'inventory');
    let next = 0;
    const worker = async () => {
      while (next < tasks.length && !stopped) {
        const task = tasks[next++] as Task;
        if (down.has(target(task))) continue;
        if (!(await run(task))) down.add(target(task));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return down.size === 0;
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      if (!(await pass())) {
        retryLater();
        return;
      }
      backoff = RETRY_FIRST_MS;
    } while (again && !stopped);
  }

  function retryLater() {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      kick();
    }, backoff);
    timer.unref();
    backoff = Math.min(backoff * 2, RETRY_MAX_MS);
  }

  function kick() {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain().finally(() => {
      draining = undefined;
    });
  }

  return {
    kick,
    start() {
      for (const order of store.data.orders) if (order.status === 'placing') orphans.add(order.id);
      kick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await draining;
    },
  };
}
