// Your user service: start here. The grader runs it with PORT (and HOST, DATA_FILE) in the environment.
// Any language will do instead: say how to start it in implementation.json, or run it yourself and pass --url.
import { createServer } from 'node:http';

type User = { id: string; name: string; email: string };
type FieldError = { loc: string[]; msg: string; type: string };

const users = new Map<string, User>();
let count = 0;

function check(body: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const { name, email } = body;
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) {
    errors.push({ loc: ['body', 'name'], msg: 'name must have 1 to 100 characters', type: 'value_error' });
  }
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    errors.push({
      loc: ['body', 'email'],
      msg: 'value is not a valid email address',
      type: 'value_error.email',
    });
  }
  return errors;
}

const server = createServer(async (req, res) => {
  const send = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  let text = '';
  for await (const chunk of req) text += chunk;

  if (req.method === 'GET' && req.url === '/health') return send(200, { status: 'ok', service: 'user' });

  if (req.method === 'POST' && req.url === '/users') {
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        body = parsed as Record<string, unknown>;
    } catch {
      // not JSON: every field is missing
    }
    const errors = check(body);
    if (errors.length > 0) return send(422, { detail: errors });
    count += 1;
    const user: User = { id: `u${count}`, name: body.name as string, email: body.email as string };
    users.set(user.id, user);
    return send(201, user);
  }

  const match = req.url?.match(/^\/users\/([^/?]+)$/);
  if (req.method === 'GET' && match?.[1]) {
    const user = users.get(decodeURIComponent(match[1]));
    if (!user) return send(404, { detail: 'User not found' });
    return send(200, user);
  }

  send(404, { detail: 'Not Found' });
});

server.listen(Number(process.env.PORT ?? 4001), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
