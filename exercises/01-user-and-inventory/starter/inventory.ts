// Your inventory service: start here. The grader runs it with PORT (and HOST, DATA_FILE) in the environment.
import { createServer } from 'node:http';

const items = new Map<string, { id: string; name: string; stock: number }>();

const server = createServer(async (req, res) => {
  const send = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  let text = '';
  for await (const chunk of req) text += chunk;

  if (req.method === 'GET' && req.url === '/health') return send(200, { status: 'ok', service: 'inventory' });
  // TODO task 5 and 6: POST /items {name, stock} -> 201 with the stored item, or 422 naming the bad field
  // TODO task 7: GET /items/{id} -> 200 with the item, or 404 {"detail": "Item not found"}
  void text;
  void items;
  send(404, { detail: 'Not Found' });
});

server.listen(Number(process.env.PORT ?? 4002), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
