// The service's whole state is one JSON object in DATA_FILE, rewritten in place and fsynced on every write,
// before the answer goes out.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';

const file = process.env.DATA_FILE ?? 'data.json';

export function load(empty) {
  return existsSync(file) ? { ...empty, ...JSON.parse(readFileSync(file, 'utf8')) } : empty;
}

export function save(state) {
  const fd = openSync(file, 'w');
  writeSync(fd, JSON.stringify(state));
  fsyncSync(fd);
  closeSync(fd);
}

export function serve(defaultPort, handle) {
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? '/', 'http://x');
    let body = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {}
    let answer;
    try {
      answer = (await handle(req.method, url, body)) ?? [404, { detail: 'Not Found' }];
    } catch (error) {
      answer = [502, { detail: String(error) }];
    }
    const [status, json] = answer;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  });
  server.listen(Number(process.env.PORT ?? defaultPort), process.env.HOST ?? '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

export const invalid = (field, msg) => [
  422,
  { detail: [{ loc: ['body', field], msg, type: 'value_error' }] },
];
