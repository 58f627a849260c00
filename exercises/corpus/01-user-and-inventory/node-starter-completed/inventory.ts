// Your inventory service: start here. The grader runs it with PORT (and HOST, DATA_FILE) in the environment.
import { createServer } from 'node:http';

type Item = { id: string; name: string; stock: number };

const items = new Map<string, Item>();
let count = 0;

function fieldError(field: string, msg: string) {
  return { detail: [{ loc: ['body', field], msg, type: 'value_error' }] };
}

const server = createServer(async (req, res) => {
  const send = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  let text = '';
  for await (const chunk of req) text += chunk;

  if (req.method === 'GET' && req.url === '/health') return send(200, { status: 'ok', service: 'inventory' });

  if (req.method === 'POST' && req.url === '/items') {
    let body: { name?: unknown; stock?: unknown } = {};
    try {
      body = JSON.parse(text) ?? {};
    } catch {
      body = {};
    }
    const { name, stock } = body;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      return send(422, fieldError('name', 'name must have 1 to 100 characters'));
    }
    if (typeof stock !== 'number' || !Number.isInteger(stock) || stock < 0) {
      return send(422, fieldError('stock', 'stock must be a whole number, 0 or more'));
    }
    count += 1;
    const item: Item = { id: `i${count}`, name, stock };
    items.set(item.id, item);
    return send(201, item);
  }

  const id = req.url?.startsWith('/items/') ? decodeURIComponent(req.url.slice('/items/'.length)) : undefined;
  if (req.method === 'GET' && id) {
    const item = items.get(id);
    if (!item) return send(404, { detail: 'Item not found' });
    return send(200, item);
  }

  send(404, { detail: 'Not Found' });
});

server.listen(Number(process.env.PORT ?? 4002), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
