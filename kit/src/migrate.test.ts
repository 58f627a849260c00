import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Migration } from './migrate.js';
import { openStore } from './store.js';

interface Data {
  users: { id: string; name: string; phone?: string }[];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kit-migrate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A data file written before `phone` existed. */
async function oldFile(name: string): Promise<string> {
  const file = join(dir, name);
  const users = [
    { id: '1', name: 'Ada' },
    { id: '2', name: 'Grace', phone: '555' },
  ];
  await writeFile(file, `${JSON.stringify({ users }, null, 2)}\n`);
  return file;
}

describe('migrations of the stored records', () => {
  it('run once at open, oldest first, and the data file records them', async () => {
    const file = await oldFile('once.json');
    const ran: string[] = [];
    const migrations: Migration<Data>[] = [
      {
        id: 'user-phone',
        up: (data) => {
          ran.push('user-phone');
          for (const user of data.users) user.phone ??= 'unknown';
        },
      },
      {
        id: 'user-name-trim',
        up: (data) => {
          ran.push('user-name-trim');
          for (const user of data.users) user.name = user.name.trim();
        },
      },
    ];
    const lines: string[] = [];
    const store = await openStore<Data>(file, { users: [] }, { migrations, log: (l) => lines.push(l) });
    expect(store.data.users.map((u) => u.phone)).toEqual(['unknown', '555']);
    expect(lines).toEqual([`${file}: migrated the stored records (user-phone, user-name-trim)`]);
    await store.close();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.users[0]).toEqual({ id: '1', name: 'Ada', phone: 'unknown' });
    expect(Object.keys(saved.migrations)).toEqual(['user-phone', 'user-name-trim']);

    const again = await openStore<Data>(file, { users: [] }, { migrations, log: (l) => lines.push(l) });
    expect(ran).toEqual(['user-phone', 'user-name-trim']);
    await again.close();
  });

  it('a migration that throws keeps none of them and stops the open, naming it; the file is as it was', async () => {
    const file = await oldFile('throws.json');
    const before = await readFile(file, 'utf8');
    const migrations: Migration<Data>[] = [
      {
        id: 'user-phone',
        up: (data) => {
          for (const user of data.users) user.phone ??= 'x';
        },
      },
      {
        id: 'broken',
        up: () => {
          throw new Error('no such thing');
        },
      },
    ];
    await expect(openStore<Data>(file, { users: [] }, { migrations, log: () => {} })).rejects.toThrow(
      `${file}: migration broken failed (no such thing); the data file is as it was`,
    );
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(JSON.parse(before));
    // The file is free again: a fixed migration list opens it.
    const store = await openStore<Data>(
      file,
      { users: [] },
      { migrations: migrations.slice(0, 1), log: () => {} },
    );
    expect(store.data.users[0]?.phone).toBe('x');
    await store.close();
  });

  it('refuses two migrations with one id', async () => {
    const file = await oldFile('twice.json');
    const up = () => {};
    await expect(
      openStore<Data>(
        file,
        { users: [] },
        {
          migrations: [
            { id: 'a', up },
            { id: 'a', up },
          ],
          log: () => {},
        },
      ),
    ).rejects.toThrow('two migrations are named a');
  });
});
