import { randomUUID } from 'node:crypto';
import express from 'express';

const app = express();
app.use(express.json());

const users = new Map();

function fail(res, field, msg) {
  res.status(422).json({ detail: [{ loc: ['body', field], msg, type: 'value_error' }] });
}

app.post('/users', (req, res) => {
  const { name, email } = req.body || {};
  if (typeof name !== 'string' || name.length === 0) return fail(res, 'name', 'name is required');
  if (name.length > 100) return fail(res, 'name', 'name must be at most 100 characters');
  if (typeof email !== 'string' || !/^\S+@\S+\.\S+$/.test(email)) {
    return fail(res, 'email', 'value is not a valid email address');
  }
  const user = { id: randomUUID(), name, email };
  users.set(user.id, user);
  res.status(201).json(user);
});

app.get('/users/:id', (req, res) => {
  if (!users.has(req.params.id)) return res.status(404).json({ detail: 'User not found' });
  res.json(users.get(req.params.id));
});

app.listen(Number(process.env.PORT), process.env.HOST);
