// PATCH /things/:id on bare Express, each write through the kit store: acknowledged once on disk, group-committed.

import { closeServer, openStore, serve } from '@microtown/kit';
import express from 'express';
import { dataFile, onStop, ready } from './child.js';

type Thing = { id: string; version: number };
const store = await openStore<{ things: Thing[] }>(dataFile(), { things: [] });

const app = express();
app.patch('/things/:id', express.json(), async (req, res) => {
  const thing = await store.update((data) => {
    const found = data.things.find((t) => t.id === req.params.id);
    if (found) Object.assign(found, req.body, { version: found.version + 1 });
    return found;
  });
  if (!thing) res.status(404).json({ detail: 'Thing not found' });
  else res.json(thing);
});

const { server } = await serve(app, 0);
ready(server);
onStop(async () => {
  await closeServer(server);
  await store.close();
});
