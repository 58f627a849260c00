// GET /things/:id on bare Express 5, as shipped: the same things from an in-memory array, res.json.
import { readFileSync } from 'node:fs';
import express from 'express';
import { dataFile, onStop, ready } from './child.js';

interface Thing {
  id: string;
}
const { things } = JSON.parse(readFileSync(dataFile(), 'utf8')) as { things: Thing[] };

const app = express();
app.get('/things/:id', (req, res) => {
  const thing = things.find((t) => t.id === req.params.id);
  if (!thing) {
    res.status(404).json({ detail: 'Thing not found' });
    return;
  }
  res.json(thing);
});

const server = app.listen(0, '127.0.0.1', () => ready(server));
onStop(async () => {
  server.close();
});
