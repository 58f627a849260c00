import { invalid, listen, load, app as makeApp, save } from './db.js';

const db = load({ nextId: 1, items: {}, reservations: {} });
const app = makeApp();

app.post('/items', (req, res) => {
  const { name, stock } = req.body ?? {};
  if (typeof name !== 'string' || name.length < 1 || name.length > 100)
    return invalid(res, 'name', 'bad name');
  if (!Number.isInteger(stock) || stock < 0) return invalid(res, 'stock', 'a whole number, 0 or more');
  const item = { id: `i${db.nextId++}`, name, stock };
  db.items[item.id] = item;
  save(db);
  res.status(201).json(item);
});

app.get('/items/:id', (req, res) => {
  const item = db.items[req.params.id];
  if (!item) return res.status(404).json({ detail: 'Item not found' });
  res.json(item);
});

app.get('/stock/:id', (req, res) => {
  const item = db.items[req.params.id];
  if (!item) return res.status(404).json({ detail: 'Item not found' });
  res.json({ available: item.stock });
});

app.post('/reservations', (req, res) => {
  const { order_id, item_id, quantity = 1 } = req.body ?? {};
  const item = db.items[item_id];
  if (!item) return res.status(404).json({ detail: 'Item not found' });
  if (db.reservations[order_id]) return res.status(201).json(db.reservations[order_id]);
  if (item.stock < quantity) return res.status(409).json({ detail: 'Out of stock' });
  item.stock -= quantity;
  db.reservations[order_id] = { order_id, item_id, quantity };
  save(db);
  res.status(201).json(db.reservations[order_id]);
});

listen(app, 4002);
