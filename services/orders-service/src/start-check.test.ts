import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer } from '@microtown/kit';
import { type Child, eventually, freePort, spawnChild } from '@microtown/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePeers, startFakePeers } from './fake-peers.js';

// Orders as a real process whose check at start (which reservations inventory holds) fails for a while, as it does
// while `npm start` brings the playground up: those failures are retried in the background and must not open the
// breaker that the first orders' calls go through.
const SERVICE = join(import.meta.dirname, '..');

let peers: FakePeers;
let gate: Server;
let refused = 0;
let refusing = true;
let dir: string;
let orders: { child: Child; url: string };

beforeAll(async () => {
  peers = await startFakePeers();
  // In front of inventory: the check at start answered 503 until told otherwise; every other call passed on.
  gate = createServer((req, res) => {
    if (refusing && req.method === 'GET' && req.url?.startsWith('/reservations?')) {
      refused++;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"detail":"not yet"}');
      return;
    }
    const call = request(
      `${peers.urls.inventory}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(call);
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(join(tmpdir(), 'orders-start-'));
  const port = await freePort();
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: SERVICE,
    env: {
      PORT: String(port),
      DATA_FILE: join(dir, 'orders.json'),
      LOG_LEVEL: 'error',
      USER_SERVICE_URL: peers.urls.user,
      INVENTORY_SERVICE_URL: `http://127.0.0.1:${(gate.address() as AddressInfo).port}`,
      NOTIFICATION_SERVICE_URL: peers.urls.notification,
    },
  });
  orders = { child, url: `http://127.0.0.1:${port}` };
  await child.waitFor(/orders service listening/);
});
afterAll(async () => {
  await orders?.child.stop('SIGKILL');
  if (gate) await closeServer(gate);
  await peers?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('orders, while its check at start keeps failing (a real process)', () => {
  it('places the first order as soon as inventory answers: the failed checks opened no breaker', async () => {
    // More failures than open the breaker of orders' calls to inventory (5 in 10 s).
    await eventually(() => refused >= 6, 'six failed checks at start', { timeoutMs: 15_000 });
    refusing = false;
    const placed = await fetch(`${orders.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'u1', item_id: 'item2', quantity: 1 }),
    });
    expect(placed.status, JSON.stringify(await placed.clone().json())).toBe(201);
    expect(peers.reservations.size).toBe(1);
  }, 30_000);
});
