import { runServer } from '@microtown/kit';
import { createApp } from './app.js';
import { loadSettings } from './settings.js';
import { openNotificationStore } from './store.js';

runServer('notification', async () => {
  const settings = loadSettings();
  const store = await openNotificationStore(settings.DATA_FILE);
  const deps = {
    // microtown:clients
  };
  return {
    app: createApp(store, deps),
    port: settings.PORT,
    host: settings.HOST,
    close: async () => {
      // microtown:close
      await store.close();
    },
  };
});
