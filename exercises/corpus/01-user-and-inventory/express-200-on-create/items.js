import express from 'express';

const app = express();
app.use(express.json());

const items = {};
let nextId = 1;

const invalid = (res, field, msg) =>
  res.status(422).json({ detail: [{ loc: ['body', field], msg, type: 'value_error' }] });

app.post('/items', (req, res) => {
  const { name, stock } = req.body ?? {};
  if (typeof name !== 'string' || !name || name.length > 100)
    return invalid(res, 'name', 'name must have 1 to 100 characters');
  if (!Number.isInteger(stock) || stock < 0)
    return invalid(res, 'stock', 'stock must be a whole number, 0 or more');

  const item = { id: nextId++, name, stock };
  items[item.id] = item;
  res.json(item);
});

app.get('/items/:id', (req, res) => {
  const item = items[req.params.id];
  if (!item) return res.status(404).json({ detail: 'Item not found' });
  res.json(item);
});

app.listen(process.env.PORT, () => console.log('inventory service up'));
