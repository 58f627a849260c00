import { randomUUID } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { validate } from './validate.js';

const ItemIn = z.object({
  name: z.string().min(1).max(100),
  stock: z.number().int().min(0),
});

const items = new Map();
const app = express();
app.use(express.json());

app.post('/items', validate(ItemIn), (req, res) => {
  const item = { id: randomUUID(), ...req.body };
  items.set(item.id, item);
  res.status(201).json(item);
});

app.get('/items/:id', (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ detail: 'Item not found' });
  res.json(item);
});

const port = Number(process.env.PORT ?? 8002);
app.listen(port, process.env.HOST ?? '127.0.0.1', () => console.log(`inventory on ${port}`));
