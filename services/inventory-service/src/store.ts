import { openStore, type Store } from '@microtown/kit';
import type { ItemPublic } from './schemas.js';

/** Everything the inventory service keeps, in its own JSON file: one collection per resource. */
export interface InventoryData {
  /** The last id handed out per collection, so that an id is never reused after a delete. */
  lastIds: Record<string, number>;
  items: ItemPublic[];
  // microtown:collections
}

/** Opens the data file, creating it on first start; a corrupt file stops here with a message naming it. */
export function openInventoryStore(file: string): Promise<Store<InventoryData>> {
  return openStore<InventoryData>(file, {
    lastIds: {},
    items: [],
    // microtown:defaults
  });
}
