// Your user service: start here. The grader runs it with PORT (and HOST, DATA_FILE) in the environment.
// Any language will do instead: say how to start it in implementation.json, or run it yourself and pass --url.
import { createServer } from 'node:http';

const users = new Map<string, { id: string; name: string; email: string }>();

const server = createServer(async (req, res) => {
  const send = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  let text = '';
  for await (const chunk of req) text += chunk;

  if (req.method === 'GET' && req.url === '/health') return send(200, { status: 'ok', service: 'user' });
  // TODO task 1 and 2: POST /users {name, email} -> 201 with the stored user, or 422 naming the bad field
  // TODO task 3 and 4: GET /users/{id} -> 200 with the user, or 404 {"detail": "User not found"}
  void text;
  void users;
  send(404, { detail: 'Not Found' });
});

server.listen(Number(process.env.PORT ?? 4001), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
