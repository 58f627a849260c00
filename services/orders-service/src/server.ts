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
  return {
    app,
    port: settings.PORT,
    host: settings.HOST,
    close: async () => {
      await outbox.stop();
      await deps.user.close();
      await deps.inventory.close();
      await deps.notification.close();
      // microtown:close
      await store.close();
    },
  };
});
