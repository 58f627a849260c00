import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitor } from './monitor.js';
import { createRegistry } from './registry.js';
import { createSwitches } from './switches.js';

/** A service that answers every path with `status`. */
const answering = (status: number) =>
  new Promise<{ server: Server; url: string }>((resolve) => {
    const server = createServer((_req, res) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}'),
    );
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });

let servers: Server[] = [];
let urls: Record<string, string> = {};
beforeAll(async () => {
  const made = await Promise.all([200, 404, 503].map(answering));
  servers = made.map((m) => m.server);
  urls = { ok: made[0]?.url ?? '', plain: made[1]?.url ?? '', failing: made[2]?.url ?? '' };
});
afterAll(() => {
  for (const server of servers) server.close();
});

describe('the monitor', () => {
  it("counts a service up when /health answers, or when it has none (a learner's own), and down on a 5xx or nothing", async () => {
    const registry = createRegistry([
      { name: 'ok', url: urls.ok as string },
      { name: 'plain', url: urls.plain as string },
      { name: 'failing', url: urls.failing as string },
      { name: 'gone', url: 'http://127.0.0.1:1' },
    ]);
    const monitor = createMonitor(registry, createSwitches([...registry.keys()]));
    const states = await monitor.states(0);
    monitor.close();
    expect(Object.fromEntries(states.map((s) => [s.name, s.health]))).toEqual({
      ok: 'up',
      plain: 'up',
      failing: 'down',
      gone: 'down',
    });
  });
});
