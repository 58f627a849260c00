// The town's user service as `npm start` runs it (seeded with u1), on a port the bench picks.
import { closeServer, serve } from '@microtown/kit';
import { createApp } from '../../services/user-service/src/app.js';
import { seed } from '../../services/user-service/src/seed.js';
import { openUserStore } from '../../services/user-service/src/store.js';
import { dataFile, onStop, ready } from './child.js';

const store = await openUserStore(dataFile(), seed);
const { server } = await serve(createApp(store, {}), 0);
ready(server);
onStop(async () => {
  await closeServer(server);
  await store.close();
});
