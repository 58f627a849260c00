import { randomUUID } from 'node:crypto';
import express from 'express';

const app = express();
app.use(express.json());

const items = new Map();

function fail(res, field, msg) {
  res.status(422).json({ detail: [{ loc: ['body', field], msg, type: 'value_error' }] });
}

app.post('/items', (req, res) => {
  const { name, stock } = req.body || {};
  if (typeof name !== 'string' || name.length === 0) return fail(res, 'name', 'name is required');
  if (typeof stock !== 'number' || !Number.isInteger(stock))
    return fail(res, 'stock', 'stock must be a whole number');
  if (stock < 0) return fail(res, 'stock', 'stock cannot be negative');
  const item = { id: randomUUID(), name, stock };
  items.set(item.id, item);
  res.status(201).json(item);
});

app.get('/items/:id', (req, res) => {
  if (!items.has(req.params.id)) return res.status(404).json({ detail: 'Item not found' });
  res.json(items.get(req.params.id));
});

app.listen(Number(process.env.PORT), process.env.HOST);
