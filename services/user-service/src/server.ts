import { runServer } from '@microtown/kit';
import { createApp } from './app.js';
import { seed } from './seed.js';
import { loadSettings } from './settings.js';
import { openUserStore } from './store.js';

runServer('user', async () => {
  const settings = loadSettings();
  const store = await openUserStore(settings.DATA_FILE, seed);
  const deps = {
    // microtown:clients
  };
  // Stopping closes the clients, then the store (which writes its data file).
  return { app: createApp(store, deps), settings, close: [deps, store] };
});
