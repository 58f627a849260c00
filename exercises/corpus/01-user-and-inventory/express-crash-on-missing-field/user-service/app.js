import express from 'express';

const app = express();
app.use(express.json());

const users = new Map();
let id = 0;

app.post('/users', (req, res) => {
  const name = req.body.name.trim();
  const email = req.body.email.trim();

  if (name.length === 0 || name.length > 100) {
    return res.status(422).json({
      detail: [{ loc: ['body', 'name'], msg: 'name must have 1 to 100 characters', type: 'value_error' }],
    });
  }
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    return res.status(422).json({
      detail: [
        { loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error.email' },
      ],
    });
  }

  id += 1;
  const user = { id, name, email };
  users.set(id, user);
  res.status(201).json(user);
});

app.get('/users/:id', (req, res) => {
  const user = users.get(Number(req.params.id));
  if (!user) return res.status(404).json({ detail: 'User not found' });
  res.json(user);
});

app.listen(process.env.PORT, () => console.log(`user service on port ${process.env.PORT}`));
