import { randomBytes } from 'node:crypto';
import { currentTrace, HTTPException, type Outbox, type Store } from '@microtown/kit';
import type { InventoryClient } from './clients/inventory.js';
import type { UserClient } from './clients/user.js';
import { orderBook } from './order-book.js';
import { notifyEntry, releaseEntry } from './outbox.js';
import type { OrderCreate } from './schemas.js';
import type { OrderRecord, OrdersData } from './store.js';

export interface PlaceOrderDeps {
  user: UserClient;
  inventory: InventoryClient;
  outbox: Outbox;
}

// Random, not counted: an id must never be handed out twice, not even after a crash before the count was saved,
// since inventory knows reservations by order id.
const newOrderId = () => randomBytes(6).toString('hex');

/**
 * Places an order: checks the user, reserves the stock in inventory (one atomic call), stores the order with its
 * confirmation in the outbox. Returns the order, or throws the HTTPException to answer with.
 */
export function createPlaceOrder(store: Store<OrdersData>, deps: PlaceOrderDeps) {
  const book = orderBook(store);
  const placing = new Map<string, Promise<OrderRecord>>();

  async function placeNew(input: OrderCreate, key: string | undefined): Promise<OrderRecord> {
    const user = await deps.user.getUser(input.user_id);
    if (user.status === 404) throw new HTTPException(404, 'User not found');
    if (user.status >= 500) throw unavailable('user');
    if (user.status !== 200) throw new HTTPException(502, `user answered ${user.status}`);

    const order: OrderRecord = {
      id: newOrderId(),
      ...input,
      status: 'placing',
      notification: 'pending',
      trace_id: currentTrace()?.traceId ?? '',
      created_at: new Date().toISOString(),
      ...(key ? { idempotency_key: key } : {}),
    };
    // The order is saved while inventory reserves, not before: both wait for a disk, so together they take the
    // time of one. A crash in between leaves a `placing` order, which the outbox settles at the next start.
    const [saved, reserved] = await Promise.allSettled([
      store.update((data) => book.add(data, order)),
      deps.inventory.reserve({ order_id: order.id, item_id: input.item_id, quantity: input.quantity }),
    ]);

    if (reserved.status === 'rejected' || reserved.value.status >= 500) {
      // Inventory did not answer, or failed: the reservation may have been made. The order goes, its release is
      // queued.
      await giveUp(order);
      throw reserved.status === 'rejected' ? reserved.reason : unavailable('inventory');
    }
    const answer = reserved.value;
    if (saved.status === 'rejected') {
      if (answer.status < 300) await deps.inventory.release(order.id).catch(() => undefined);
      throw saved.reason;
    }
    if (answer.status === 200 || answer.status === 201) {
      // Inventory's reservation is what commits the order: once it is on disk, so is the outcome, and a crash
      // before this change reaches the disk is settled at start-up. So the answer does not wait for a write.
      store.updateSoon((data) => {
        order.status = 'confirmed';
        data.outbox.push(notifyEntry(order));
      });
      setImmediate(deps.outbox.deliverSoon);
      return order;
    }
    if (answer.status === 404 || answer.status === 409) {
      // Refused: nothing is reserved, so the order goes.
      store.updateSoon((data) => book.remove(data, order));
      if (answer.status === 404) throw new HTTPException(404, 'Item not found');
      throw new HTTPException(409, detailOf(answer.body) ?? 'Out of stock');
    }
    await giveUp(order);
    throw new HTTPException(502, `inventory answered ${answer.status}`);
  }

  /** Drops an order whose reservation is in doubt, and queues its release, in one write. */
  async function giveUp(order: OrderRecord) {
    await store.update((data) => {
      book.remove(data, order);
      data.outbox.push(releaseEntry(order));
    });
    deps.outbox.deliverSoon();
  }

  /**
   * An order left `placing` with nothing under way here: its confirmation never reached the disk (a crash before it
   * did, or the disk refused it). Inventory's reservation says what became of it, as at start-up (outbox.ts): held,
   * it is confirmed; otherwise it goes, and the request places a new one.
   */
  async function settle(order: OrderRecord, input: OrderCreate, key: string): Promise<OrderRecord> {
    const answer = await deps.inventory.getReservation(order.id);
    if (answer.status >= 500) throw unavailable('inventory');
    const held = answer.status === 200 && answer.body.status === 'held';
    await store.update((data) => {
      if (order.status !== 'placing' || book.get(order.id) !== order) return; // the outbox settled it meanwhile
      if (held) {
        order.status = 'confirmed';
        data.outbox.push(notifyEntry(order));
      } else {
        book.remove(data, order);
      }
    });
    if (order.status !== 'confirmed') return placeNew(input, key);
    setImmediate(deps.outbox.deliverSoon);
    return order;
  }

  /** With an Idempotency-Key, the same request again gets the same order, even while the first is under way. */
  return async function placeOrder(input: OrderCreate, key?: string): Promise<OrderRecord> {
    if (!key) return placeNew(input, undefined);
    const underWay = placing.get(key);
    const order = underWay ? await underWay : book.withKey(key);
    if (
      order &&
      (order.user_id !== input.user_id ||
        order.item_id !== input.item_id ||
        order.quantity !== input.quantity)
    ) {
      throw new HTTPException(409, `Idempotency-Key ${key} was used for another order (${order.id})`);
    }
    if (order && order.status !== 'placing') {
      await store.write();
      return order;
    }
    // A first try, or a try whose order is left placing (a write of it failed): this request finishes it.
    const placed = order ? settle(order, input, key) : placeNew(input, key);
    placing.set(key, placed);
    try {
      return await placed;
    } finally {
      placing.delete(key);
    }
  };
}

const unavailable = (service: string) => new HTTPException(503, `${service} unavailable`);

function detailOf(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? detail : undefined;
}
