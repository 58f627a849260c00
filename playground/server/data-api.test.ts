import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@microtown/kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from './start-playground.js';
import { readJson } from './testing/read-json.js';

let dir: string;
let withHook: Playground;
let alone: Playground;
const resets: string[][] = [];

const USERS = { lastIds: { users: 2 }, users: [{ id: 'u2', name: 'Ada', email: 'ada@example.com' }] };

const json = async (playground: Playground, path: string, method = 'GET') => {
  const response = await fetch(`${playground.url}${path}`, { method });
  return { status: response.status, body: await readJson(response) };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'microtown-data-api-'));
  await writeFile(join(dir, 'user.json'), `${JSON.stringify(USERS, null, 2)}\n`);
  await writeFile(join(dir, 'orders.json'), '{"orders": [');
  // No service listens: the data is read from the files, never from the services.
  const services = ['user', 'inventory', 'orders'].map((name) => ({
    name,
    url: 'http://127.0.0.1:1',
    dataFile: join(dir, `${name}.json`),
  }));
  withHook = await startPlayground({
    port: 0,
    page: false,
    services,
    reset: async (names) => {
      resets.push(names);
    },
  });
  alone = await startPlayground({ port: 0, page: false, services });
});

afterAll(async () => {
  await withHook?.close();
  await alone?.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  resets.length = 0;
});

describe('GET /api/services/{service}/data', () => {
  it('shows each collection and the text of the file, read afresh on every request', async () => {
    const text = `${JSON.stringify(USERS, null, 2)}\n`;
    expect(await json(withHook, '/api/services/user/data')).toEqual({
      status: 200,
      body: {
        service: 'user',
        file: join(dir, 'user.json'),
        exists: true,
        collections: { users: USERS.users },
        pending: 0,
        text,
      },
    });
    const more = {
      ...USERS,
      users: [...USERS.users, { id: 'u3', name: 'Grace', email: 'grace@example.com' }],
    };
    await writeFile(join(dir, 'user.json'), JSON.stringify(more));
    const { body } = await json(withHook, '/api/services/user/data');
    expect(body.collections.users.map((u: { id: string }) => u.id)).toEqual(['u2', 'u3']);
    await writeFile(join(dir, 'user.json'), text);
  });

  it("shows the changes a running service's journal holds before its data file does, and counts them", async () => {
    const file = join(dir, 'inventory.json');
    const store = await openStore(file, { items: [] as { id: string }[] }, { idleMs: 60_000 });
    await store.update((data) => data.items.push({ id: 'lamp' }));
    const { body } = await json(withHook, '/api/services/inventory/data');
    expect(body).toMatchObject({ exists: true, collections: { items: [{ id: 'lamp' }] }, pending: 1 });
    expect(JSON.parse(body.text)).toEqual({ items: [] });
    await store.close();
    expect((await json(withHook, '/api/services/inventory/data')).body).toMatchObject({ pending: 0 });
    await rm(file);
  });

  it('says so when the service has no data file yet', async () => {
    const { status, body } = await json(withHook, '/api/services/inventory/data');
    expect(status).toBe(200);
    expect(body).toMatchObject({ exists: false, collections: {}, text: '' });
  });

  it('answers 409 with one line for a file that is not JSON', async () => {
    const { status, body } = await json(withHook, '/api/services/orders/data');
    expect(status).toBe(409);
    expect(body.detail).toMatch(/orders\.json is not valid JSON/);
    expect(body.detail).not.toContain('\n');
  });

  it('answers 404 for a service not in this town', async () => {
    expect(await json(withHook, '/api/services/nobody/data')).toEqual({
      status: 404,
      body: { detail: 'No service nobody in this town' },
    });
  });
});

describe('reset', () => {
  it('hands one service to the reset hook', async () => {
    expect(await json(withHook, '/api/services/user/reset', 'POST')).toEqual({
      status: 200,
      body: { reset: ['user'] },
    });
    expect(resets).toEqual([['user']]);
  });

  it('hands every service of the town to the hook', async () => {
    expect((await json(withHook, '/api/reset', 'POST')).body).toEqual({
      reset: ['user', 'inventory', 'orders'],
    });
    expect(resets).toEqual([['user', 'inventory', 'orders']]);
  });

  it('answers 404 for a service not in this town, without calling the hook', async () => {
    expect((await json(withHook, '/api/services/nobody/reset', 'POST')).status).toBe(404);
    expect(resets).toEqual([]);
  });

  it('answers 409 naming npm run reset when the playground runs without the town', async () => {
    for (const path of ['/api/services/user/reset', '/api/reset']) {
      const { status, body } = await json(alone, path, 'POST');
      expect(status).toBe(409);
      expect(body.detail).toMatch(/npm run reset/);
    }
  });

  it('answers 500 with the reason when the hook fails', async () => {
    const failing = await startPlayground({
      port: 0,
      page: false,
      services: [{ name: 'user', url: 'http://127.0.0.1:1' }],
      reset: async () => {
        throw new Error('user did not start again');
      },
    });
    try {
      expect(await json(failing, '/api/reset', 'POST')).toEqual({
        status: 500,
        body: { detail: 'could not reset user: user did not start again' },
      });
    } finally {
      await failing.close();
    }
  });
});

it('documents the routes in /openapi.json', async () => {
  const { body } = await json(withHook, '/openapi.json');
  expect(Object.keys(body.paths)).toEqual(
    expect.arrayContaining(['/api/services/{service}/data', '/api/services/{service}/reset', '/api/reset']),
  );
});
