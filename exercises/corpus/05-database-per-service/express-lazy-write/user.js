import { invalid, listen, load, app as makeApp, save } from './db.js';

const db = load({ nextId: 1, users: {} });
const app = makeApp();

// Writing the file on every request is slow: answer first, and write once things are quiet (2 s after the last
// change), or when the service is stopped.
let timer;
function saveSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => save(db), 2000);
}
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.prependListener(signal, () => {
    clearTimeout(timer);
    save(db);
  });
}

app.post('/users', (req, res) => {
  const { name, email } = req.body ?? {};
  if (typeof name !== 'string' || name.length < 1 || name.length > 100)
    return invalid(res, 'name', 'bad name');
  if (typeof email !== 'string' || !email.includes('@'))
    return invalid(res, 'email', 'not a valid email address');
  const user = { id: `u${db.nextId++}`, name, email };
  db.users[user.id] = user;
  res.status(201).json(user);
  saveSoon();
});

app.get('/users/:id', (req, res) => {
  const user = db.users[req.params.id];
  if (!user) return res.status(404).json({ detail: 'User not found' });
  res.json(user);
});

listen(app, 4001);
