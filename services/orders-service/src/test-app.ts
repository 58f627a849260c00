import type { Outbox } from '@microtown/kit';
import { startTestApp as startApp } from '@microtown/kit/testing';
import { createApp } from './app.js';
import { createInventoryClient } from './clients/inventory.js';
import { createNotificationClient } from './clients/notification.js';
import { createUserClient } from './clients/user.js';
import { createOrdersOutbox } from './outbox.js';
import { openOrdersStore } from './store.js';

/** Where the services orders calls are, for one test: nothing listens on port 9, so calls there answer 503. */
export interface PeerUrls {
  user?: string;
  inventory?: string;
  notification?: string;
}

const NOWHERE = 'http://127.0.0.1:9';

/**
 * The orders service over real HTTP on a free port, its outbox delivering, with a fresh data file that `stop()`
 * removes (or `options.file`, to reopen one a test wrote).
 */
export async function startTestApp(peers: PeerUrls = {}, options: { file?: string } = {}) {
  const clients = {
    user: createUserClient(peers.user ?? NOWHERE),
    inventory: createInventoryClient(peers.inventory ?? NOWHERE),
    notification: createNotificationClient(peers.notification ?? NOWHERE),
    // microtown:test-deps
  };
  let outbox: Outbox | undefined;
  const app = await startApp({
    name: 'orders',
    file: options.file,
    openStore: openOrdersStore,
    createApp: (store) => {
      outbox = createOrdersOutbox(store, clients);
      outbox.start();
      return createApp(store, { ...clients, outbox });
    },
    close: async () => {
      await outbox?.stop();
      await Promise.all(Object.values(clients).map((client) => client.close()));
    },
  });
  return { ...app, outbox: outbox as Outbox };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
