import express from 'express';

const app = express();
app.use(express.json());

const items = [];
let lastId = 0;

function problems(body) {
  const errors = [];
  const { name, stock } = body;
  if (name === undefined) {
    errors.push({ loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' });
  } else if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
    errors.push({ loc: ['body', 'name'], msg: 'name must have 1 to 100 characters', type: 'value_error' });
  }
  if (stock === undefined) {
    errors.push({ loc: ['body', 'stock'], msg: 'field required', type: 'value_error.missing' });
  } else if (!Number.isInteger(stock)) {
    errors.push({ loc: ['body', 'stock'], msg: 'value is not a valid integer', type: 'type_error.integer' });
  } else if (stock < 0) {
    errors.push({
      loc: ['body', 'stock'],
      msg: 'stock must be 0 or more',
      type: 'value_error.number.not_ge',
    });
  }
  return errors;
}

app.post('/items', (req, res) => {
  const body = req.body ?? {};
  const errors = problems(body);
  if (errors.length > 0) {
    return res.status(422).json({ detail: errors });
  }
  lastId += 1;
  const item = { id: lastId, name: body.name, stock: body.stock };
  items.push(item);
  res.status(201).json(item);
});

app.get('/items/:id', (req, res) => {
  const item = items.find((i) => i.id === Number(req.params.id));
  if (!item) {
    return res.status(404).json({ detail: 'Item not found' });
  }
  res.json(item);
});

const PORT = process.env.PORT || 8002;
app.listen(PORT, () => {
  console.log(`inventory service listening on ${PORT}`);
});
