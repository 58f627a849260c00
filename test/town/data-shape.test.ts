import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, spawnChild } from '@microtown/kit/testing';
import { servicePath } from '@microtown/kit/town';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..', '..');

// A data file of the wrong shape stops its service before it listens, in one line naming the file and the first
// bad path; the file is left as it was.
describe('a service refuses a data file of the wrong shape', () => {
  it.each([
    ['user', '{"users": 5}', /user\.json: users is a number, not a list of records/],
    ['orders', '{"orders": 5}', /orders\.json: orders is a number, not a list of records/],
    ['orders', '{"orders": [], "outbox": 7}', /orders\.json: outbox is a number, not a list of records/],
    [
      'user',
      '{"lastIds": {"items": 1}, "items": [{"id": "1", "name": "lamp", "stock": 3}]}',
      /holds items, not users: is it another service's data file\?/,
    ],
  ])('%s with %s', async (service, content, message) => {
    const file = join(await makeTempDir('shape'), `${service}.json`);
    await writeFile(file, content);
    const child = spawnChild(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: servicePath(ROOT, service),
      env: { PORT: String(await freePort()), DATA_FILE: file },
    });
    expect(await child.exited()).toBe(1);
    const lines = child.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toContain(file);
    expect(await readFile(file, 'utf8')).toBe(content);
  });
});
