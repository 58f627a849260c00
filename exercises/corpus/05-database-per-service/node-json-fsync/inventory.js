import { invalid, load, save, serve } from './store.js';

const db = load({ nextId: 1, items: {}, reservations: {} });

serve(4002, (method, url, body) => {
  if (method === 'POST' && url.pathname === '/items') {
    const { name, stock } = body;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) return invalid('name', 'bad name');
    if (!Number.isInteger(stock) || stock < 0) return invalid('stock', 'a whole number, 0 or more');
    const item = { id: db.nextId++, name, stock };
    db.items[item.id] = item;
    save(db);
    return [201, item];
  }
  if (method === 'POST' && url.pathname === '/reservations') {
    const { order_id, item_id, quantity = 1 } = body;
    const item = db.items[item_id];
    if (!item) return [404, { detail: 'Item not found' }];
    if (db.reservations[order_id]) return [201, db.reservations[order_id]];
    if (item.stock < quantity) return [409, { detail: 'Out of stock' }];
    item.stock -= quantity;
    db.reservations[order_id] = { order_id, item_id, quantity };
    save(db);
    return [201, db.reservations[order_id]];
  }
  const m = url.pathname.match(/^\/(items|stock)\/([^/]+)$/);
  if (method === 'GET' && m) {
    const item = db.items[m[2]];
    if (!item) return [404, { detail: 'Item not found' }];
    return [200, m[1] === 'items' ? item : { available: item.stock }];
  }
});
