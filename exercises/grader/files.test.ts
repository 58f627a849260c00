import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnChild } from '@microtown/kit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filesWith } from './files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'microtown-files-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('filesWith', () => {
  it('finds the files that hold the marker, a few folders down, and not in node_modules or .git', async () => {
    await mkdir(join(dir, 'data', 'deep'), { recursive: true });
    await mkdir(join(dir, 'node_modules'));
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, 'data', 'user.json'), '{"users":[{"email":"ada-1@example.com"}]}');
    await writeFile(join(dir, 'data', 'deep', 'copy.db'), 'ada-1@example.com');
    await writeFile(join(dir, 'data', 'items.json'), '{"items":[]}');
    await writeFile(join(dir, 'node_modules', 'cache.json'), 'ada-1@example.com');
    await writeFile(join(dir, '.git', 'index'), 'ada-1@example.com');
    expect(filesWith('ada-1@example.com', dir).sort()).toEqual([
      join(dir, 'data', 'deep', 'copy.db'),
      join(dir, 'data', 'user.json'),
    ]);
    expect(filesWith('ada-1@example.com', join(dir, 'no-such-folder'))).toEqual([]);
  });

  it('skips files a running database removes while it looks, as temporary files and journals come and go', async () => {
    // Another process writes and removes temporary files and folders as fast as it can, as a store rewriting its
    // file does; every look must still answer, with the file that stays.
    await writeFile(join(dir, 'user.json'), 'ada-2@example.com');
    const churn = spawnChild(process.execPath, [
      '-e',
      `const fs = require('node:fs'); const dir = ${JSON.stringify(dir)};
       console.log('churning');
       for (let i = 0; ; i++) {
         const file = dir + '/user.json.' + (i % 8) + '.tmp', folder = dir + '/side-' + (i % 8);
         fs.writeFileSync(file, 'ada-2@example.com'); fs.rmSync(file);
         fs.mkdirSync(folder, { recursive: true }); fs.writeFileSync(folder + '/f', 'x'); fs.rmSync(folder, { recursive: true });
       }`,
    ]);
    try {
      await churn.waitFor(/churning/);
      for (let look = 0; look < 2000; look++) {
        expect(filesWith('ada-2@example.com', dir)).toContain(join(dir, 'user.json'));
        if (look % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await churn.stop('SIGKILL');
    }
  });
});
