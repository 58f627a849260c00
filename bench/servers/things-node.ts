// GET /things/{id} on raw node:http: the floor under any framework.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dataFile, onStop, ready } from './child.js';

interface Thing {
  id: string;
}
const { things } = JSON.parse(readFileSync(dataFile(), 'utf8')) as { things: Thing[] };

const server = createServer((req, res) => {
  const match = req.method === 'GET' ? /^\/things\/([^/?]+)/.exec(req.url ?? '') : null;
  const thing = match && things.find((t) => t.id === decodeURIComponent(match[1] ?? ''));
  const status = thing ? 200 : 404;
  const body = JSON.stringify(thing ?? { detail: 'Not Found' });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});

server.listen(0, '127.0.0.1', () => ready(server));
onStop(async () => {
  server.close();
});
