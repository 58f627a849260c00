import { createServer } from 'node:http';
import { body, invalid, json } from './http-helpers.js';

const items = new Map();
let counter = 0;

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'POST' && url.pathname === '/items') {
    const data = await body(req);
    const name = data.name;
    const stock = Number(data.stock) || 0; // no stock given: 0 in stock
    if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
      return invalid(res, 'name', 'name must be 1 to 100 characters');
    }
    if (!Number.isInteger(stock) || stock < 0) {
      return invalid(res, 'stock', 'stock must be a whole number, 0 or more');
    }
    const item = { id: `itm_${++counter}`, name, stock };
    items.set(item.id, item);
    return json(res, 201, item);
  }
  if (req.method === 'GET' && url.pathname.startsWith('/items/')) {
    const item = items.get(url.pathname.slice(7));
    return item ? json(res, 200, item) : json(res, 404, { detail: 'Item not found' });
  }
  json(res, 404, { detail: 'Not Found' });
}).listen(process.env.PORT, process.env.HOST);
