import http from 'node:http';

const users = {};
let nextId = 1;

function reply(res, status, data) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(data));
}

function readJson(req) {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(raw) || {});
      } catch {
        resolve({});
      }
    });
  });
}

const server = http.createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/users') {
    const { name, email } = await readJson(req);
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      return reply(res, 422, {
        detail: [{ loc: ['body', 'name'], msg: 'name must have 1 to 100 characters', type: 'value_error' }],
      });
    }
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      return reply(res, 422, {
        detail: [{ loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error' }],
      });
    }
    const user = { id: nextId++, name, email };
    users[user.id] = user;
    return reply(res, 201, user);
  }
  const m = req.url.match(/^\/users\/(\d+)$/);
  if (req.method === 'GET' && m) {
    const user = users[m[1]];
    return user ? reply(res, 200, user) : reply(res, 404, { detail: 'User not found' });
  }
  reply(res, 404, { detail: 'Not Found' });
});

server.listen(process.env.PORT, process.env.HOST);
