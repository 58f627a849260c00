import http from 'node:http';

const items = {};
let nextId = 1;

function reply(res, status, data) {
  res.writeHead(status, { 'Content-Type': 'text/plain' });
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
  if (req.method === 'POST' && req.url === '/items') {
    const { name, stock } = await readJson(req);
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      return reply(res, 422, {
        detail: [{ loc: ['body', 'name'], msg: 'name must have 1 to 100 characters', type: 'value_error' }],
      });
    }
    if (!Number.isInteger(stock) || stock < 0) {
      return reply(res, 422, {
        detail: [
          { loc: ['body', 'stock'], msg: 'stock must be a whole number, 0 or more', type: 'value_error' },
        ],
      });
    }
    const item = { id: nextId++, name, stock };
    items[item.id] = item;
    return reply(res, 201, item);
  }
  const m = req.url.match(/^\/items\/(\d+)$/);
  if (req.method === 'GET' && m) {
    const item = items[m[1]];
    return item ? reply(res, 200, item) : reply(res, 404, { detail: 'Item not found' });
  }
  reply(res, 404, { detail: 'Not Found' });
});

server.listen(process.env.PORT, process.env.HOST);
