import express from 'express';

const app = express();
app.use(express.json());

const items = new Map();
let id = 0;

app.post('/items', (req, res) => {
  const { name, stock } = req.body ?? {};

  if (typeof name !== 'string' || name.length === 0 || name.length > 100) {
    return res.status(422).json({
      detail: [{ loc: ['body', 'name'], msg: 'name must have 1 to 100 characters', type: 'value_error' }],
    });
  }
  if (typeof stock !== 'number' || !Number.isInteger(stock) || stock < 0) {
    return res.status(422).json({
      detail: [
        { loc: ['body', 'stock'], msg: 'stock must be a whole number, 0 or more', type: 'value_error' },
      ],
    });
  }

  id += 1;
  const item = { id, name, stock };
  items.set(id, item);
  res.status(201).json(item);
});

app.get('/items/:id', (req, res) => {
  const item = items.get(Number(req.params.id));
  if (!item) return res.status(404).json({ detail: 'Item not found' });
  res.json(item);
});

app.listen(process.env.PORT, () => console.log(`inventory service on port ${process.env.PORT}`));
