import { randomUUID } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { validate } from './validate.js';

const UserIn = z.object({
  name: z.string().min(1).max(100),
  email: z.email(),
});

const users = new Map();
const app = express();
app.use(express.json());

app.post('/users', validate(UserIn), (req, res) => {
  const user = { id: randomUUID(), ...req.body };
  users.set(user.id, user);
  res.status(201).json(user);
});

app.get('/users/:id', (req, res) => {
  const user = users.get(req.params.id);
  if (!user) return res.status(404).json({ detail: 'User not found' });
  res.json(user);
});

const port = Number(process.env.PORT ?? 8001);
app.listen(port, process.env.HOST ?? '127.0.0.1', () => console.log(`user on ${port}`));
