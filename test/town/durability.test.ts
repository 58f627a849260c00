import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '@microtown/kit';
import { freePort, spawnChild } from '@microtown/kit/testing';
import { readServices } from '@microtown/kit/town';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call } from './http.js';
import { makeTempDir } from './temp.js';
import { startTown, type Town } from './town.js';

const ROOT = join(import.meta.dirname, '..', '..');
let town: Town | undefined;
afterEach(async () => {
  await town?.close();
  town = undefined;
});
afterAll(() => town?.close());

describe('each service owns its data', () => {
  it('keeps data across a restart, in its own file', async () => {
    town = await startTown({ only: ['user'] });
    const created = await call(town.url('user'), 'POST', '/users', {
      name: 'Asha',
      email: 'asha@example.com',
    });
    expect(created.status).toBe(201);
    await town.stop('user');
    await town.start('user');
    expect(await call(town.url('user'), 'GET', `/users/${created.json.id}`)).toMatchObject({
      status: 200,
      json: created.json,
    });
    const onDisk = JSON.parse(await readFile(town.services.get('user')?.dataFile as string, 'utf8'));
    expect(JSON.stringify(onDisk)).toContain('asha@example.com');
  });

  it('kill -9 of inventory during a burst of reservations loses no acknowledged one and leaves valid JSON', async () => {
    town = await startTown({ only: ['inventory'] });
    const base = town.url('inventory');
    const item = await call(base, 'POST', '/items', { name: 'Burst', stock: 100_000 });
    const acknowledged: string[] = [];
    let n = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const id = `burst-${n++}`;
        try {
          const r = await call(base, 'POST', '/reservations', {
            order_id: id,
            item_id: item.json.id,
            quantity: 1,
          });
          if (r.status === 201) acknowledged.push(id);
        } catch {
          return; // the service is gone
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await town.stop('inventory', 'SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThan(20);

    // What the next start reads: the data file, whole JSON, and the journal beside it replayed.
    const file = town.services.get('inventory')?.dataFile as string;
    JSON.parse(await readFile(file, 'utf8'));
    const store = await openStore(file, { items: [], reservations: [] } as {
      items: { id: string; stock: number }[];
      reservations: { order_id: string }[];
    });
    const { items, reservations } = store.data;
    const held = new Set(reservations.map((r) => r.order_id));
    const stock = items.find((i) => i.id === item.json.id)?.stock ?? 0;
    await store.close();
    for (const id of acknowledged) expect(held.has(id), id).toBe(true);
    expect(stock + held.size).toBe(100_000);

    await town.start('inventory');
    expect((await call(base, 'GET', `/reservations/${acknowledged.at(-1)}`)).status).toBe(200);
  });

  it.each(['user', 'inventory', 'orders', 'notification'])(
    'a corrupt data file stops %s at start with a message naming the file, and the file is kept',
    async (name) => {
      const service = (await readServices(ROOT)).find((s) => s.name === name);
      const file = join(await makeTempDir('corrupt'), `${name}.json`);
      await writeFile(file, '{"half": [1, 2');
      const child = spawnChild(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: service?.dir,
        env: { PORT: String(await freePort()), DATA_FILE: file },
      });
      expect(await child.exited()).toBe(1);
      expect(child.output().trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^${name} service: .*${name}\\.json.*not valid JSON`)),
      ]);
      expect(await readFile(file, 'utf8')).toBe('{"half": [1, 2');
    },
  );
});
