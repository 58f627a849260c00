import { type Migration, openStore, type Store } from '@microtown/kit';
import type { UserPublic } from './schemas.js';

/** Everything the user service keeps, in its own JSON file: one collection per resource. */
export interface UserData {
  /** The last id handed out per collection, so that an id is never reused after a delete. */
  lastIds: Record<string, number>;
  users: UserPublic[];
  // microtown:collections
}

/**
 * Changes to the stored records, oldest first: each runs once, when the service opens its data file, which records
 * it (`npm run generate field` adds one when a new required field needs a default).
 */
const migrations: Migration<UserData>[] = [
  // microtown:migrations
];

/**
 * Opens the data file, creating it on first start (with `seed`'s records); a corrupt file stops here with a message
 * naming it.
 */
export function openUserStore(file: string, seed: Partial<UserData> = {}): Promise<Store<UserData>> {
  return openStore<UserData>(
    file,
    {
      lastIds: {},
      users: [],
      // microtown:defaults
      ...seed,
    },
    { migrations },
  );
}
