import { createLogger, createOutbox, type Logger, type Outbox, type Store } from '@microtown/kit';
import type { InventoryClient } from './clients/inventory.js';
import type { NotificationClient } from './clients/notification.js';
import { orderBook } from './order-book.js';
import type { OrderRecord, OrdersData, OutboxEntry } from './store.js';

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

/** An order a crash left `placing`: inventory is asked whether its stock is held. Found at start, never stored. */
type ReconcileEntry =
  | { kind: 'reconcile'; id: string; order_id: string; trace_id: string }
  /**
   * Once per start: stock inventory holds for an order orders never stored (a kill -9 after inventory reserved,
   * before the order reached the disk) is given back. Found at start, never stored.
   */
  | { kind: 'orphans'; id: string; trace_id: string };

export interface OutboxDeps {
  inventory: InventoryClient;
  notification: NotificationClient;
  logger?: Logger;
}

/**
 * Orders' outbox (the kit's): confirmations go to notification, releases of reservations in doubt to inventory, and
 * at start orders left `placing` are settled. Each call carries a key, so delivering one twice changes nothing.
 */
export function createOrdersOutbox(store: Store<OrdersData>, deps: OutboxDeps): Outbox {
  const logger = deps.logger ?? createLogger('orders');
  const book = orderBook(store);

  const outbox: Outbox = createOutbox<OrdersData, ReconcileEntry>(
    store,
    {
      notify: {
        target: 'notification',
        async deliver({ order_id, user_id, message }) {
          const answer = await deps.notification.send({ user_id, message }, `order-${order_id}`);
          if (answer.status >= 500) return 'retry';
          const sent = answer.status < 300;
          if (!sent)
            logger.error(
              { order_id, status: answer.status, body: answer.body },
              'notification refused a confirmation',
            );
          return () => {
            const order = book.get(order_id);
            if (order) order.notification = sent ? 'sent' : 'failed';
          };
        },
      },
      release: {
        target: 'inventory',
        async deliver({ order_id }) {
          const answer = await deps.inventory.release(order_id);
          if (answer.status >= 500) return 'retry';
          // 204 released, 404 never reserved: either way nothing is held for this order any more.
          if (answer.status !== 204 && answer.status !== 404)
            logger.error({ order_id, status: answer.status }, 'inventory refused a release');
          return 'delivered';
        },
      },
      orphans: {
        target: 'inventory',
        async deliver() {
          const orphans: string[] = [];
          for (let offset = 0; ; offset += 100) {
            const page = await deps.inventory.heldReservations(offset);
            if (page.status >= 500) return 'retry';
            if (page.status !== 200) {
              logger.error({ status: page.status }, 'inventory refused the list of held reservations');
              return 'delivered';
            }
            orphans.push(...page.body.data.map((r) => r.order_id).filter((id) => !book.get(id)));
            if (page.body.data.length < 100) break;
          }
          if (orphans.length === 0) return 'delivered';
          logger.warn({ orders: orphans }, 'inventory held stock for orders never stored: releasing it');
          await store.update((data) => {
            for (const order_id of orphans)
              data.outbox.push({ kind: 'release', id: `release-${order_id}`, order_id, trace_id: '' });
          });
          outbox.deliverSoon();
          return 'delivered';
        },
      },
      reconcile: {
        target: 'inventory',
        async deliver({ order_id }) {
          const order = book.get(order_id);
          if (order?.status !== 'placing') return 'delivered';
          const answer = await deps.inventory.getReservation(order_id);
          if (answer.status >= 500) return 'retry';
          const held = answer.status === 200 && answer.body.status === 'held';
          await store.update((data) => {
            if (held) {
              order.status = 'confirmed';
              data.outbox.push(notifyEntry(order));
            } else {
              book.remove(data, order);
            }
          });
          if (held) outbox.deliverSoon();
          return 'delivered';
        },
      },
    },
    {
      logger,
      recover: (data) => [
        ...data.orders
          .filter((order) => order.status === 'placing')
          .map(
            (order): ReconcileEntry => ({
              kind: 'reconcile',
              id: `reconcile-${order.id}`,
              order_id: order.id,
              trace_id: order.trace_id,
            }),
          ),
        { kind: 'orphans', id: 'orphans', trace_id: '' },
      ],
    },
  );
  return outbox;
}
