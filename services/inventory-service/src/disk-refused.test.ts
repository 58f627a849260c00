import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, freePort, type Reply, spawnChild } from '@microtown/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The inventory service as a real process whose disk refuses its writes: `prlimit --fsize=1` makes every write of
// the process past its first byte fail with EFBIG, as a full disk would (answered 507), until the limit is lifted.
const SERVICE = join(import.meta.dirname, '..');
const canLimit = spawnSync('prlimit', ['--version']).status === 0;

let dir: string;
let inventory: { child: Child; url: string };

beforeAll(async () => {
  if (!canLimit) return;
  dir = await mkdtemp(join(tmpdir(), 'inventory-disk-'));
  const port = await freePort();
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: SERVICE,
    env: { PORT: String(port), DATA_FILE: join(dir, 'inventory.json'), LOG_LEVEL: 'warn' },
  });
  inventory = { child, url: `http://127.0.0.1:${port}` };
  await child.waitFor(/inventory service listening/);
});
afterAll(async () => {
  if (!canLimit) return;
  await inventory?.child.stop('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function diskRefuses(refuses: boolean) {
  const limit = refuses ? '1:unlimited' : 'unlimited:unlimited';
  const result = spawnSync('prlimit', ['--pid', String(inventory.child.process.pid), `--fsize=${limit}`]);
  if (result.status !== 0) throw new Error(`prlimit failed: ${result.stderr}`);
}

async function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${inventory.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe.skipIf(!canLimit)('inventory, when the disk refuses a reservation (a real process)', () => {
  it('answers 507, keeps the stock, and the retry with the same order id reserves for real once the disk is back', async () => {
    const item = (await call('POST', '/items', { name: 'lamp', stock: 3 })).json;
    const reservation = { order_id: 'o-disk-1', item_id: item.id, quantity: 1 };
    diskRefuses(true);
    try {
      const refused = await call('POST', '/reservations', reservation);
      expect(refused.status).toBe(507);
      expect(refused.json.detail).toMatch(/disk refused/);
      expect((await call('GET', `/stock/${item.id}`)).json.available).toBe(3);
      expect((await call('GET', '/reservations/o-disk-1')).status).toBe(404);
    } finally {
      diskRefuses(false);
    }
    // Not a replay of the refused one: the stock is taken now.
    const retried = await call('POST', '/reservations', reservation);
    expect(retried).toMatchObject({ status: 201, json: { order_id: 'o-disk-1', status: 'held' } });
    expect((await call('GET', `/stock/${item.id}`)).json.available).toBe(2);
  });
});
