import { runServer } from '@microtown/kit';
import { createApp } from './app.js';
import { seed } from './seed.js';
import { loadSettings } from './settings.js';
import { openInventoryStore } from './store.js';

runServer('inventory', async () => {
  const settings = loadSettings();
  const store = await openInventoryStore(settings.DATA_FILE, seed);
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
