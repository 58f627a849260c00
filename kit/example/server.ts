import { join } from 'node:path';
import { openStore, port, readSettings, runServer, z } from '../src/index.js';
import { createApp, type ThingsData } from './app.js';

const Settings = z.object({
  PORT: port(4090),
  HOST: z.string().default('127.0.0.1'),
  DATA_FILE: z.string().default(join(import.meta.dirname, 'data', 'things.json')),
});

runServer('things', async () => {
  const settings = readSettings(Settings);
  const store = await openStore<ThingsData>(settings.DATA_FILE, { things: [] });
  return { app: createApp(store), settings, close: [store] };
});
