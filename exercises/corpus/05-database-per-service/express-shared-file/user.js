import { invalid, listen, load, app as makeApp, save } from './db.js';

const db = load('user', { nextId: 1, users: {} });
const app = makeApp();

app.post('/users', (req, res) => {
  const { name, email } = req.body ?? {};
  if (typeof name !== 'string' || name.length < 1 || name.length > 100)
    return invalid(res, 'name', 'bad name');
  if (typeof email !== 'string' || !email.includes('@'))
    return invalid(res, 'email', 'not a valid email address');
  const user = { id: `u${db.nextId++}`, name, email };
  db.users[user.id] = user;
  save('user', db);
  res.status(201).json(user);
});

app.get('/users/:id', (req, res) => {
  const user = db.users[req.params.id];
  if (!user) return res.status(404).json({ detail: 'User not found' });
  res.json(user);
});

listen(app, 4001);
