import express from 'express';

const app = express();
app.use(express.json());

const users = [];
let lastId = 0;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function problems(body) {
  const errors = [];
  const { name, email } = body;
  if (name === undefined) {
    errors.push({ loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' });
  } else if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
    errors.push({ loc: ['body', 'name'], msg: 'name must have 1 to 100 characters', type: 'value_error' });
  }
  if (email === undefined) {
    errors.push({ loc: ['body', 'email'], msg: 'field required', type: 'value_error.missing' });
  } else if (typeof email !== 'string' || !EMAIL.test(email)) {
    errors.push({
      loc: ['body', 'email'],
      msg: 'value is not a valid email address',
      type: 'value_error.email',
    });
  }
  return errors;
}

app.post('/users', (req, res) => {
  const body = req.body ?? {};
  const errors = problems(body);
  if (errors.length > 0) {
    return res.status(422).json({ detail: errors });
  }
  lastId += 1;
  const user = { id: lastId, name: body.name, email: body.email };
  users.push(user);
  res.status(201).json(user);
});

app.get('/users/:id', (req, res) => {
  const user = users.find((u) => u.id === Number(req.params.id));
  if (!user) {
    return res.status(404).json({ detail: 'User not found' });
  }
  res.json(user);
});

const PORT = process.env.PORT || 8001;
app.listen(PORT, () => {
  console.log(`user service listening on ${PORT}`);
});
