// GET /things/{id} served by the kit's example service, its store on the seeded data file.

import { closeServer, openStore, serve } from '@microtown/kit';
import { createApp, type ThingsData } from '../../kit/example/app.js';
import { dataFile, onStop, ready } from './child.js';

const store = await openStore<ThingsData>(dataFile(), { things: [] });
const { server } = await serve(createApp(store), 0);
ready(server);
onStop(async () => {
  await closeServer(server);
  await store.close();
});
