import type { Logger, Outbox } from '@microtown/kit';
import type { InventoryClient } from './clients/inventory.js';
import type { UserClient } from './clients/user.js';

/** What the app gets from outside besides its store: a client per service it calls. */
export interface Deps {
  /** Where request logs go (the kit's logger by default). */
  logger?: Logger;
  user: UserClient;
  inventory: InventoryClient;
  /** Delivers what orders must tell other services (confirmations, releases), even when they are down now. */
  outbox: Outbox;
  // microtown:deps
}
