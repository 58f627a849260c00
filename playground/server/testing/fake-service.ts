import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { serve } from '@microtown/kit';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** sha256 of the body received, hex. */
  sha256: string;
  bytes: number;
}

export interface FakeService {
  name: string;
  url: string;
  /** Every request that reached it. */
  seen: Seen[];
  /** TCP connections it accepted. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A stand-in for a town service: `/health`, a list route answering `{data, count}`, `/slow` (waits 2 s),
 * `/pause` (waits 300 ms), `/reset` (drops the connection), redirects at `/docs` and `/away`, and an echo of anything else: method, path,
 * headers and a digest of the body.
 */
export async function startFakeService(name: string, count = 3): Promise<FakeService> {
  const seen: Seen[] = [];
  let connections = 0;
  const { server, url } = await serve((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        sha256: hash.digest('hex'),
        bytes,
      };
      seen.push(entry);
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-trace-id': 'ab'.repeat(16),
          ...headers,
        });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/health') return json(200, { status: 'ok', service: name });
      if (req.url?.startsWith('/things?')) {
        const query = new URL(req.url, 'http://x').searchParams;
        const offset = Number(query.get('offset') ?? 0);
        const size = Math.max(0, Math.min(Number(query.get('limit') ?? 100), count - offset));
        return json(200, {
          data: Array.from({ length: size }, (_, i) => ({ id: String(offset + i + 1) })),
          count,
        });
      }
      if (req.url === '/reset') return req.socket.destroy();
      if (req.url === '/docs') return json(301, {}, { location: '/docs/' });
      if (req.url === '/away') return json(302, {}, { location: 'http://elsewhere.example/x' });
      if (req.url === '/pause') return setTimeout(() => json(200, { paused: true }), 300);
      if (req.url === '/slow') return setTimeout(() => json(200, { slow: true }), 2000);
      json(req.url === '/created' ? 201 : 200, entry, { 'x-echo': 'yes' });
    });
  }, 0);
  server.on('connection', () => connections++);
  return {
    name,
    url,
    seen,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
