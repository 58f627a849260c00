import express from 'express';

const app = express();
app.use(express.json());

const db = { users: {}, seq: 0 };

app.post('/users', (req, res) => {
  const { name, email } = req.body ?? {};
  const detail = [];
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
    detail.push({ loc: ['body', 'name'], msg: 'name must have 1 to 100 characters', type: 'value_error' });
  }
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    detail.push({
      loc: ['body', 'email'],
      msg: 'value is not a valid email address',
      type: 'value_error.email',
    });
  }
  if (detail.length) return res.status(422).json({ detail });

  db.seq += 1;
  const user = { id: `u${db.seq}`, name, email };
  db.users[user.id] = user;
  res.status(201).json(user);
});

app.get('/users/:id', (req, res) => {
  const user = db.users[req.params.id];
  if (user === undefined) return res.status(404).json({ detail: 'User not found' });
  res.json(user);
});

app.listen(process.env.PORT ?? 3000, process.env.HOST ?? '127.0.0.1');
