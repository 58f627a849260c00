import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@microtown/kit/testing';
import { PLAYGROUND_PORT } from '@microtown/kit/town';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPlayground } from '../../playground/server/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TOWN = ['user', 'inventory', 'orders', 'notification'];

let dir: string;

/**
 * A TOWN_PORT_OFFSET whose playground port is free right now, so that a town someone runs beside the tests
 * (`npm start` on 4000) is never the one reset.
 */
async function freeOffset(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port - PLAYGROUND_PORT <= 50_000) return port - PLAYGROUND_PORT;
  }
}

/** `npm run reset -- <args>` as tsx runs it, without a terminal: exit code and output lines. */
async function reset(args: string[], env: Record<string, string> = {}) {
  const offset = env.TOWN_PORT_OFFSET ?? String(await freeOffset());
  return new Promise<{ code: number; out: string[]; err: string[] }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/reset.ts', ...args],
      { cwd: ROOT, env: { ...process.env, TOWN_DATA_DIR: dir, ...env, TOWN_PORT_OFFSET: offset } },
      (error, stdout, stderr) => {
        const lines = (text: string) => text.split('\n').filter(Boolean);
        resolve({ code: error ? Number(error.code) : 0, out: lines(stdout), err: lines(stderr) });
      },
    );
  });
}

const file = (name: string, suffix = '') => join(dir, `${name}.json${suffix}`);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'microtown-reset-'));
  for (const name of TOWN) {
    await writeFile(file(name), '{"lastIds": {}}\n');
    await writeFile(file(name, '.journal'), '{"snapshot":"x"}\n');
  }
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run reset, with no town running', () => {
  it("removes a service's data file and journal, and only that service's", async () => {
    const { code, out, err } = await reset(['user']);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out).toEqual([`user: removed ${file('user')}; it starts from its seed data`]);
    expect(existsSync(file('user'))).toBe(false);
    expect(existsSync(file('user', '.journal'))).toBe(false);
    expect(existsSync(file('orders'))).toBe(true);
  });

  it('resets the whole town with --yes, one line per service', async () => {
    const { code, out } = await reset(['--yes']);
    expect(code).toBe(0);
    expect(out.map((line) => line.split(':')[0])).toEqual(TOWN);
    for (const name of TOWN) expect(existsSync(file(name))).toBe(false);
  });

  it('says so when a service has no data file yet', async () => {
    await rm(file('inventory'));
    await rm(file('inventory', '.journal'));
    expect((await reset(['inventory'])).out).toEqual([
      `inventory: no ${file('inventory')} yet; it starts from its seed data`,
    ]);
  });

  it('refuses the whole town without a terminal to ask or --yes', async () => {
    const { code, out, err } = await reset([]);
    expect({ code, out }).toEqual({ code: 1, out: [] });
    expect(err).toEqual([expect.stringMatching(/^npm run reset: .*--yes/)]);
    expect(existsSync(file('user'))).toBe(true);
  });

  it('refuses an unknown service in one line naming the known ones, resetting nothing', async () => {
    const { code, out, err } = await reset(['user', 'nobody']);
    expect({ code, out }).toEqual({ code: 1, out: [] });
    expect(err).toEqual([
      'npm run reset: no service nobody in this town (its services: user, inventory, orders, notification)',
    ]);
    expect(existsSync(file('user'))).toBe(true);
  });

  it('refuses a data file a live process holds, and keeps it', async () => {
    const lock = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    await writeFile(file('orders', '.lock'), JSON.stringify(lock));
    const { code, out, err } = await reset(['user', 'orders']);
    expect({ code, out }).toEqual({ code: 1, out: [] });
    expect(err).toEqual([
      expect.stringMatching(/^npm run reset: orders is running \(process \d+ holds .*lock\)/),
    ]);
    expect(existsSync(file('orders'))).toBe(true);
    expect(existsSync(file('user'))).toBe(true);
  });

  it('takes no notice of a lock whose process is gone', async () => {
    const lock = { pid: 2 ** 30, host: hostname(), since: new Date().toISOString() };
    await writeFile(file('user', '.lock'), JSON.stringify(lock));
    expect((await reset(['user'])).code).toBe(0);
    expect(existsSync(file('user'))).toBe(false);
  });

  it('answers an unknown option in one line, exit 2', async () => {
    const { code, err } = await reset(['--force']);
    expect(code).toBe(2);
    expect(err).toEqual([expect.stringMatching(/^npm run reset: Unknown option '--force'/)]);
  });
});

describe('npm run reset, with the town running', () => {
  it("asks the town's playground, which restarts the services itself", async () => {
    const offset = await freeOffset();
    const asked: string[][] = [];
    const playground = await startPlayground({
      port: PLAYGROUND_PORT + offset,
      page: false,
      services: TOWN.map((name) => ({ name, url: 'http://127.0.0.1:1' })),
      reset: async (names) => {
        asked.push(names);
      },
    });
    try {
      const one = await reset(['orders'], { TOWN_PORT_OFFSET: String(offset) });
      expect(one.out).toEqual([`orders: reset to its seed data by the running town (${playground.url})`]);
      const all = await reset(['--yes'], { TOWN_PORT_OFFSET: String(offset) });
      expect(all.code).toBe(0);
      expect(all.out).toHaveLength(4);
      expect(asked).toEqual([['orders'], TOWN]);
      // The town removes its files itself, as it restarts each service.
      expect(existsSync(file('orders'))).toBe(true);
    } finally {
      await playground.close();
    }
  });

  it('removes the files itself when the playground runs without the town (409)', async () => {
    const offset = await freeOffset();
    const playground = await startPlayground({
      port: PLAYGROUND_PORT + offset,
      page: false,
      services: [{ name: 'user', url: 'http://127.0.0.1:1' }],
    });
    try {
      const { code, out } = await reset(['user'], { TOWN_PORT_OFFSET: String(offset) });
      expect(code).toBe(0);
      expect(out).toEqual([`user: removed ${file('user')}; it starts from its seed data`]);
    } finally {
      await playground.close();
    }
  });
});

it('is npm run reset', async () => {
  const { code, out } = await new Promise<{ code: number; out: string }>((resolve) =>
    execFile('npm', ['run', '--silent', 'reset', '--', '--help'], { cwd: ROOT }, (error, stdout) =>
      resolve({ code: error ? 1 : 0, out: stdout }),
    ),
  );
  expect(code).toBe(0);
  expect(out).toMatch(/^usage: npm run reset/);
});
