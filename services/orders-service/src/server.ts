import { runServer } from '@microtown/kit';
import { createApp } from './app.js';
import { createInventoryClient } from './clients/inventory.js';
import { createNotificationClient } from './clients/notification.js';
import { createUserClient } from './clients/user.js';
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
  return {
    app: createApp(store, deps),
    port: settings.PORT,
    host: settings.HOST,
    close: async () => {
      await deps.user.close();
      await deps.inventory.close();
      await deps.notification.close();
      // microtown:close
      await store.close();
    },
  };
});
