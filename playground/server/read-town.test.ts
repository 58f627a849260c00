import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTown, serviceUrlVariable } from './read-town.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dataFile = (name: string) => join(ROOT, 'services', `${name}-service`, 'data', `${name}.json`);

describe('readTown', () => {
  it("reads the chapter's services from their manifests, with list routes and expected calls", async () => {
    const town = await readTown(ROOT);
    expect(town).toEqual(
      expect.arrayContaining([
        {
          name: 'user',
          url: 'http://127.0.0.1:4001',
          calls: [],
          lists: ['users'],
          dataFile: dataFile('user'),
        },
        {
          name: 'inventory',
          url: 'http://127.0.0.1:4002',
          calls: [],
          lists: ['items'],
          dataFile: dataFile('inventory'),
        },
        {
          name: 'orders',
          url: 'http://127.0.0.1:4003',
          calls: ['user', 'inventory', 'notification'],
          lists: ['orders'],
          dataFile: dataFile('orders'),
        },
        {
          name: 'notification',
          url: 'http://127.0.0.1:4004',
          calls: [],
          lists: ['notifications'],
          dataFile: dataFile('notification'),
        },
      ]),
    );
  });

  it('takes a URL from <NAME>_SERVICE_URL when set', async () => {
    const town = await readTown(ROOT, { USER_SERVICE_URL: 'http://127.0.0.1:9001' });
    expect(town.find((s) => s.name === 'user')?.url).toBe('http://127.0.0.1:9001');
    expect(serviceUrlVariable('order-history')).toBe('ORDER_HISTORY_SERVICE_URL');
  });

  it('finds each data file in TOWN_DATA_DIR when set, as npm start runs the services', async () => {
    const town = await readTown(ROOT, { TOWN_DATA_DIR: '/tmp/town-data' });
    expect(town.find((s) => s.name === 'orders')?.dataFile).toBe('/tmp/town-data/orders.json');
  });
});
