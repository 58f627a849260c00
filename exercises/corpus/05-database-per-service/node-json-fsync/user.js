import { invalid, load, save, serve } from './store.js';

const db = load({ nextId: 1, users: {} });

serve(4001, (method, url, body) => {
  if (method === 'POST' && url.pathname === '/users') {
    const { name, email } = body;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) return invalid('name', 'bad name');
    if (typeof email !== 'string' || !email.includes('@'))
      return invalid('email', 'not a valid email address');
    const user = { id: db.nextId++, name, email };
    db.users[user.id] = user;
    save(db);
    return [201, user];
  }
  const m = url.pathname.match(/^\/users\/([^/]+)$/);
  if (method === 'GET' && m) {
    const user = db.users[m[1]];
    return user ? [200, user] : [404, { detail: 'User not found' }];
  }
});
