import { type Migration, openStore, type Store } from '@microtown/kit';
import type { NotificationPublic } from './schemas.js';

/** Everything the notification service keeps, in its own JSON file: one collection per resource. */
export interface NotificationData {
  /** The last id handed out per collection, so that an id is never reused after a delete. */
  lastIds: Record<string, number>;
  notifications: (NotificationPublic & { idempotency_key?: string })[];
  // microtown:collections
}

/**
 * Changes to the stored records, oldest first: each runs once, when the service opens its data file, which records
 * it (`npm run generate field` adds one when a new required field needs a default).
 */
const migrations: Migration<NotificationData>[] = [
  // microtown:migrations
];

/** Opens the data file, creating it on first start; a corrupt file stops here with a message naming it. */
export function openNotificationStore(file: string): Promise<Store<NotificationData>> {
  return openStore<NotificationData>(
    file,
    {
      lastIds: {},
      notifications: [],
      // microtown:defaults
    },
    { migrations },
  );
}
