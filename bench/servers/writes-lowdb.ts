// PATCH /things/:id on bare Express, plain lowdb as shipped: JSONFile (pretty-printed), one `await db.write()` per write.

import { closeServer, serve } from '@microtown/kit';
import express from 'express';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { dataFile, onStop, ready } from './child.js';

type Thing = { id: string; version: number };
const db = new Low<{ things: Thing[] }>(new JSONFile(dataFile()), { things: [] });
await db.read();

const app = express();
app.patch('/things/:id', express.json(), async (req, res) => {
  const thing = db.data.things.find((t) => t.id === req.params.id);
  if (!thing) {
    res.status(404).json({ detail: 'Thing not found' });
    return;
  }
  Object.assign(thing, req.body, { version: thing.version + 1 });
  await db.write();
  res.json(thing);
});

const { server } = await serve(app, 0);
ready(server);
onStop(() => closeServer(server));
