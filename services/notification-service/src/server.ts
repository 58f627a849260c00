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
  // Stopping closes the clients, then the store (which writes its data file).
  return { app: createApp(store, deps), settings, close: [deps, store] };
});
