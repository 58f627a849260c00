import { type Migration, openStore, type Store } from '@microtown/kit';
import type { OrderPublic } from './schemas.js';

/** An order as stored: what it answers, and the key of the request that placed it. */
export type OrderRecord = OrderPublic & { idempotency_key?: string };

/** Work that must reach another service even if it is down now: kept in the same file as the orders. */
export type OutboxEntry =
  | { kind: 'notify'; id: string; order_id: string; user_id: string; message: string; trace_id: string }
  | { kind: 'release'; id: string; order_id: string; trace_id: string };

/** Everything the orders service keeps, in its own JSON file. */
export interface OrdersData {
  /** The last id per generated collection (`npm run generate resource`); orders' own ids are random (place-order.ts). */
  lastIds: Record<string, number>;
  orders: OrderRecord[];
  outbox: OutboxEntry[];
  // microtown:collections
}

/**
 * Changes to the stored records, oldest first: each runs once, when the service opens its data file, which records
 * it (`npm run generate field` adds one when a new required field needs a default).
 */
const migrations: Migration<OrdersData>[] = [
  // microtown:migrations
];

/** Opens the data file, creating it on first start; a corrupt file stops here with a message naming it. */
export function openOrdersStore(file: string): Promise<Store<OrdersData>> {
  return openStore<OrdersData>(
    file,
    {
      lastIds: {},
      orders: [],
      outbox: [],
      // microtown:defaults
    },
    { migrations },
  );
}
