import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTown, serviceUrlVariable } from './read-town.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('readTown', () => {
  it("reads the chapter's services from their manifests, with list routes and expected calls", async () => {
    const town = await readTown(ROOT);
    expect(town).toEqual(
      expect.arrayContaining([
        { name: 'user', url: 'http://127.0.0.1:4001', calls: [], lists: ['users'] },
        { name: 'inventory', url: 'http://127.0.0.1:4002', calls: [], lists: ['items'] },
        {
          name: 'orders',
          url: 'http://127.0.0.1:4003',
          calls: ['user', 'inventory', 'notification'],
          lists: ['orders'],
        },
        { name: 'notification', url: 'http://127.0.0.1:4004', calls: [], lists: ['notifications'] },
      ]),
    );
  });

  it('takes a URL from <NAME>_SERVICE_URL when set', async () => {
    const town = await readTown(ROOT, { USER_SERVICE_URL: 'http://127.0.0.1:9001' });
    expect(town.find((s) => s.name === 'user')?.url).toBe('http://127.0.0.1:9001');
    expect(serviceUrlVariable('order-history')).toBe('ORDER_HISTORY_SERVICE_URL');
  });
});
