import express from 'express';

const app = express();
app.use(express.json());

const users = {};
let nextId = 1;

const invalid = (res, field, msg) =>
  res.status(422).json({ detail: [{ loc: ['body', field], msg, type: 'value_error' }] });

app.post('/users', (req, res) => {
  const { name, email } = req.body ?? {};
  if (typeof name !== 'string' || !name || name.length > 100)
    return invalid(res, 'name', 'name must have 1 to 100 characters');
  if (typeof email !== 'string' || !email.includes('@'))
    return invalid(res, 'email', 'value is not a valid email address');

  const user = { id: nextId++, name, email };
  users[user.id] = user;
  res.json(user);
});

app.get('/users/:id', (req, res) => {
  const user = users[req.params.id];
  if (!user) return res.status(404).json({ detail: 'User not found' });
  res.json(user);
});

app.listen(process.env.PORT, () => console.log('user service up'));
