import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer } from '@microtown/kit';
import { type Child, eventually, freePort, type Reply, spawnChild } from '@microtown/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePeers, startFakePeers } from './fake-peers.js';

// The orders service as a real process whose disk refuses its writes: `prlimit --fsize=1` makes every write of the
// process past its first byte fail with EFBIG, as a full disk would (answered 507), until the limit is lifted.
const SERVICE = join(import.meta.dirname, '..');
const canLimit = spawnSync('prlimit', ['--version']).status === 0;

let peers: FakePeers;
let gate: Gate;
let dir: string;
let orders: { child: Child; url: string; file: string };

beforeAll(async () => {
  if (!canLimit) return;
  peers = await startFakePeers();
  gate = await startGate(peers.urls.inventory);
  dir = await mkdtemp(join(tmpdir(), 'orders-disk-'));
  const port = await freePort();
  const file = join(dir, 'orders.json');
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: SERVICE,
    env: {
      PORT: String(port),
      DATA_FILE: file,
      LOG_LEVEL: 'warn',
      USER_SERVICE_URL: peers.urls.user,
      INVENTORY_SERVICE_URL: gate.url,
      NOTIFICATION_SERVICE_URL: peers.urls.notification,
    },
  });
  orders = { child, url: `http://127.0.0.1:${port}`, file };
  await child.waitFor(/orders service listening/);
  await eventually(() => peers.calls.some((c) => c.path === '/reservations'), 'the check at start');
});
afterAll(async () => {
  if (!canLimit) return;
  await orders?.child.stop('SIGKILL');
  await gate?.stop();
  await peers?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Makes the disk refuse every write of the service (true), or accept them again (false). */
function diskRefuses(refuses: boolean) {
  const limit = refuses ? '1:unlimited' : 'unlimited:unlimited';
  const result = spawnSync('prlimit', ['--pid', String(orders.child.process.pid), `--fsize=${limit}`]);
  if (result.status !== 0) throw new Error(`prlimit failed: ${result.stderr}`);
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  key?: string,
): Promise<Reply & { headers: Headers }> {
  const response = await fetch(`${orders.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

const order = { user_id: 'u1', item_id: 'item2', quantity: 1 };
const reservationsWith = (except: Set<string>) =>
  [...peers.reservations.keys()].filter((id) => !except.has(id));
const onDisk = async () =>
  (await readFile(orders.file, 'utf8')) + (await readFile(`${orders.file}.journal`, 'utf8').catch(() => ''));

describe.skipIf(!canLimit)('orders, when the disk refuses a write (a real process)', () => {
  it("answers 507 for an order it could not save, never shows it, and places it on the key's retry", async () => {
    const before = new Set(peers.reservations.keys());
    diskRefuses(true);
    try {
      const refused = await call('POST', '/orders', order, 'disk-1');
      expect(refused.status).toBe(507);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.json.detail).toMatch(
        /^The disk refused to save this change to orders\.json\.journal \(EFBIG\)/,
      );

      // Inventory had reserved its stock: the order is not served, and the reservation is given back.
      const [lost] = reservationsWith(before);
      expect(lost).toBeDefined();
      expect((await call('GET', `/orders/${lost}`)).status).toBe(404);
      expect((await call('GET', '/orders')).json.count).toBe(0);
      await eventually(() => peers.reservations.get(lost as string)?.status === 'released', 'the release');

      // The same key while the disk still refuses: refused again (a new try), not "still being placed".
      expect((await call('POST', '/orders', order, 'disk-1')).status).toBe(507);
      expect((await call('GET', '/orders')).json.count).toBe(0);
    } finally {
      diskRefuses(false);
    }

    const placed = await call('POST', '/orders', order, 'disk-1');
    expect(placed).toMatchObject({ status: 201, json: { status: 'confirmed' } });
    const again = await call('POST', '/orders', order, 'disk-1');
    expect(again).toMatchObject({ status: 201, json: { id: placed.json.id } });
    expect((await call('GET', '/orders')).json).toMatchObject({ count: 1, data: [{ id: placed.json.id }] });

    // The two refused tries gave their stock back, and never reach the disk, not even with the next good write.
    const refusedIds = reservationsWith(before).filter((id) => id !== placed.json.id);
    expect(refusedIds).toHaveLength(2);
    await eventually(
      () => refusedIds.every((id) => peers.reservations.get(id)?.status === 'released'),
      'the releases',
    );
    await eventually(async () => (await onDisk()).includes(placed.json.id), 'the order on disk');
    const disk = await onDisk();
    for (const id of refusedIds) expect(disk).not.toContain(id);
  });

  it('confirms on the retry an order whose confirmation the disk refused after inventory reserved it', async () => {
    const before = new Set(peers.reservations.keys());
    gate.hold();
    const answer = call('POST', '/orders', order, 'disk-2');
    // The order is on disk (placing) and inventory is answering: now the disk refuses the confirmation.
    await eventually(async () => (await onDisk()).includes('disk-2'), 'the placing order on disk');
    await eventually(() => gate.held > 0, 'the reservation under way');
    diskRefuses(true);
    let id: string;
    try {
      gate.release();
      const placed = await answer;
      // Inventory holds the stock: that commits the order, whatever the disk does with the confirmation.
      expect(placed).toMatchObject({ status: 201, json: { status: 'confirmed' } });
      id = placed.json.id;
      expect(reservationsWith(before)).toEqual([id]);
      // The confirmation goes to disk a moment later, is refused, and is undone: the order is as on disk.
      await eventually(
        async () => (await call('GET', `/orders/${id}`)).json.status === 'placing',
        'the refused confirmation undone',
      );
    } finally {
      diskRefuses(false);
    }

    const retried = await call('POST', '/orders', order, 'disk-2');
    expect(retried).toMatchObject({ status: 201, json: { id, status: 'confirmed' } });
    expect(reservationsWith(before)).toEqual([id]);
    await eventually(
      async () => (await call('GET', `/orders/${id}`)).json.notification === 'sent',
      'the confirmation sent',
    );
    expect([...peers.sent.keys()].filter((key) => key === `order-${id}`)).toHaveLength(1);
  });
});

/** A proxy in front of inventory that can hold its answers to reservations, to place a fault between two writes. */
interface Gate {
  url: string;
  held: number;
  hold(): void;
  release(): void;
  stop(): Promise<void>;
}

async function startGate(target: string): Promise<Gate> {
  let waiting: (() => void)[] | undefined;
  const gate: Gate = {
    url: '',
    held: 0,
    hold: () => {
      waiting = [];
    },
    release: () => {
      for (const go of waiting ?? []) go();
      waiting = undefined;
      gate.held = 0;
    },
    stop: () => closeServer(server),
  };
  const server: Server = createServer((req, res) => {
    const queue = req.method === 'POST' ? waiting : undefined;
    // The answer is held, not the call: inventory has reserved when the gate opens.
    const call = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      const pass = () => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      };
      if (!queue || queue !== waiting) return pass(); // not held, or released meanwhile
      gate.held++;
      queue.push(pass);
    });
    req.pipe(call);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gate;
}
