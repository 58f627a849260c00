import { type Migration, openStore, type Store } from '@microtown/kit';
import type { ItemPublic, ReservationPublic } from './schemas.js';

/** Everything the inventory service keeps, in its own JSON file: one collection per resource. */
export interface InventoryData {
  /** The last id handed out per collection, so that an id is never reused after a delete. */
  lastIds: Record<string, number>;
  items: ItemPublic[];
  reservations: ReservationPublic[];
  // microtown:collections
}

/**
 * Changes to the stored records, oldest first: each runs once, when the service opens its data file, which records
 * it (`npm run generate field` adds one when a new required field needs a default).
 */
const migrations: Migration<InventoryData>[] = [
  // microtown:migrations
];

/**
 * Opens the data file, creating it on first start (with `seed`'s records); a corrupt file stops here with a message
 * naming it.
 */
export function openInventoryStore(
  file: string,
  seed: Partial<InventoryData> = {},
): Promise<Store<InventoryData>> {
  return openStore<InventoryData>(
    file,
    {
      lastIds: {},
      items: [],
      reservations: [],
      // microtown:defaults
      ...seed,
    },
    { migrations },
  );
}
