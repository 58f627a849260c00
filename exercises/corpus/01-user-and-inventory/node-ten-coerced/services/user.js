import { createServer } from 'node:http';
import { body, invalid, json } from './http-helpers.js';

const users = new Map();
let counter = 0;

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'POST' && url.pathname === '/users') {
    const { name, email } = await body(req);
    if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
      return invalid(res, 'name', 'name must be 1 to 100 characters');
    }
    if (typeof email !== 'string' || !email.includes('@') || email.startsWith('@') || email.endsWith('@')) {
      return invalid(res, 'email', 'value is not a valid email address');
    }
    const user = { id: `usr_${++counter}`, name, email };
    users.set(user.id, user);
    return json(res, 201, user);
  }
  if (req.method === 'GET' && url.pathname.startsWith('/users/')) {
    const user = users.get(url.pathname.slice(7));
    return user ? json(res, 200, user) : json(res, 404, { detail: 'User not found' });
  }
  json(res, 404, { detail: 'Not Found' });
}).listen(process.env.PORT, process.env.HOST);
