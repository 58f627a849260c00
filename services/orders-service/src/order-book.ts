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
    book = createOrderBook(store.data.orders);
    books.set(store, book);
  }
  return book;
}

function createOrderBook(orders: OrderRecord[]): OrderBook {
  const byId = new Map(orders.map((o) => [o.id, o]));
  const byKey = new Map(orders.flatMap((o) => (o.idempotency_key ? [[o.idempotency_key, o] as const] : [])));
  return {
    get: (id) => byId.get(id),
    withKey: (key) => byKey.get(key),
    add(data, order) {
      data.orders.push(order);
      byId.set(order.id, order);
      if (order.idempotency_key) byKey.set(order.idempotency_key, order);
    },
    remove(data, order) {
      const at = data.orders.lastIndexOf(order);
      if (at >= 0) data.orders.splice(at, 1);
      byId.delete(order.id);
      if (order.idempotency_key) byKey.delete(order.idempotency_key);
    },
  };
}
