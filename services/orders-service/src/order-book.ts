import type { Store } from '@microtown/kit';
import type { OrderRecord, OrdersData } from './store.js';

/** The orders of a store, found by id or by the Idempotency-Key that placed them without a scan. */
export interface OrderBook {
  get(id: string): OrderRecord | undefined;
  withKey(key: string): OrderRecord | undefined;
  /** Inside `store.update`: adds an order. */
  add(data: OrdersData, order: OrderRecord): void;
  /** Inside `store.update`: removes an order. */
  remove(data: OrdersData, order: OrderRecord): void;
}

// One index per store, shared by the routes and the outbox.
const books = new WeakMap<Store<OrdersData>, OrderBook>();

export function orderBook(store: Store<OrdersData>): OrderBook {
  let book = books.get(store);
  if (!book) {
    book = createOrderBook(store);
    books.set(store, book);
  }
  return book;
}

function createOrderBook(store: Store<OrdersData>): OrderBook {
  let byId = new Map<string, OrderRecord>();
  let byKey = new Map<string, OrderRecord>();
  let stale = true;
  // A change the store undid (the disk refused it) may have added or removed orders here: index them afresh.
  store.onUndo(() => {
    stale = true;
  });
  const index = () => {
    if (stale) {
      const { orders } = store.data;
      byId = new Map(orders.map((o) => [o.id, o]));
      byKey = new Map(orders.flatMap((o) => (o.idempotency_key ? [[o.idempotency_key, o] as const] : [])));
      stale = false;
    }
    return { byId, byKey };
  };
  return {
    get: (id) => index().byId.get(id),
    withKey: (key) => index().byKey.get(key),
    add(data, order) {
      const { byId, byKey } = index();
      data.orders.push(order);
      byId.set(order.id, order);
      if (order.idempotency_key) byKey.set(order.idempotency_key, order);
    },
    remove(data, order) {
      const { byId, byKey } = index();
      const at = data.orders.lastIndexOf(order);
      if (at >= 0) data.orders.splice(at, 1);
      byId.delete(order.id);
      if (order.idempotency_key) byKey.delete(order.idempotency_key);
    },
  };
}
