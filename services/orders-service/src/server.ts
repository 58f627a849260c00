import { runServer } from '@microtown/kit';
import { createApp } from './app.js';
import { createInventoryClient } from './clients/inventory.js';
import { createNotificationClient } from './clients/notification.js';
import { createUserClient } from './clients/user.js';
import { createOrdersOutbox } from './outbox.js';
import { loadSettings } from './settings.js';
import { openOrdersStore } from './store.js';

runServer('orders', async () => {
  const settings = loadSettings();
  const store = await openOrdersStore(settings.DATA_FILE);
  const deps = {
    user: createUserClient(settings.USER_SERVICE_URL),
    inventory: createInventoryClient(settings.INVENTORY_SERVICE_URL),
    notification: createNotificationClient(settings.NOTIFICATION_SERVICE_URL),
    // microtown:clients
  };
  const outbox = createOrdersOutbox(store, deps);
  const app = createApp(store, { ...deps, outbox });
  // What a previous run left undelivered goes out now, or as soon as the other shop opens.
  outbox.start();
  // Stopping ends the delivery passes first, then closes the clients and the store (which writes its data file).
  return { app, settings, close: [{ close: () => outbox.stop() }, deps, store] };
});
