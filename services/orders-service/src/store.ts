import { openStore, type Store } from '@microtown/kit';
import type { OrderPublic } from './schemas.js';

/** Everything the orders service keeps, in its own JSON file: one collection per resource. */
export interface OrdersData {
  /** The last id handed out per collection, so that an id is never reused after a delete. */
  lastIds: Record<string, number>;
  orders: OrderPublic[];
  // microtown:collections
}

/** Opens the data file, creating it on first start; a corrupt file stops here with a message naming it. */
export function openOrdersStore(file: string): Promise<Store<OrdersData>> {
  return openStore<OrdersData>(file, {
    lastIds: {},
    orders: [],
    // microtown:defaults
  });
}
