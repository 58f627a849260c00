import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Child, freePort, spawnChild } from '@microtown/kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test/support/run-main.js';
import { scratchTown } from '../test/support/scratch-town.js';
import { snapshot as snapshotFiles } from '../test/support/snapshot.js';
import { main } from './cli.js';
import { REPO } from './run.js';

// A scratch copy of the town's services in the git-ignored .tmp/ (inside the repository, so that a service started
// there finds the kit), with users stored before the field existed.
let root: string;
let user: string;
const running: Child[] = [];
const snapshot = () => snapshotFiles(join(root, 'services'), ['node_modules']);
const run = (...argv: string[]) => runMain(main, root, argv);
const OLD_USERS = [
  { id: 'u1', name: 'Ada Lovelace', email: 'ada@example.com' },
  { id: 'u2', name: 'Grace Hopper', email: 'grace@example.com' },
];

beforeAll(async () => {
  root = await scratchTown('field-test');
  user = join(root, 'services/user-service');
  await mkdir(join(user, 'data'));
  await writeFile(join(user, 'data/user.json'), JSON.stringify({ lastIds: { users: 2 }, users: OLD_USERS }));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => child.stop('SIGTERM')));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The user service of the scratch town, on its data file, as a real process. */
async function startUser(): Promise<{ url: string; child: Child }> {
  const port = await freePort();
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: user,
    env: { PORT: String(port), LOG_LEVEL: 'warn' },
  });
  running.push(child);
  await child.waitFor(/user service listening/);
  return { url: `http://127.0.0.1:${port}`, child };
}

describe('npm run generate field: a new field, and the records stored before it', () => {
  it('refuses a required field without a default while records are stored, and writes nothing', async () => {
    const before = await snapshot();
    expect(await run('field', '--', 'user', 'user', 'phone:string')).toMatchObject({
      code: 1,
      err: [
        'error: services/user-service/data/user.json holds 2 users without phone: give them a default (phone:string=...) or make it optional (phone?:string)',
      ],
    });
    for (const [spec, error] of [
      [
        'phone:strng',
        'error: field phone: unknown type "strng" (types: string, integer, number, boolean, email)',
      ],
      [
        'phone?:string=x',
        'error: field phone is optional or has a default, not both: phone?:string or phone:string=x',
      ],
      ['age:integer=old', 'error: field age: default "old" is not an integer'],
      ['email:email=a@b.co', 'error: user has a field "email" already'],
    ] as const)
      expect((await run('field', '--', 'user', 'user', spec)).err).toEqual([error]);
    expect((await run('field', '--', 'user', 'address', 'street:string')).err).toEqual([
      'error: user has no resource "address" (its resources: user)',
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('a required field with a default: old users read back with 200 and the default, migrated once', async () => {
    const added = await run('field', '--', 'user', 'user', 'phone:string=unknown');
    expect(added).toMatchObject({ code: 0, err: [] });
    expect(added.out[0]).toMatch(
      /^field phone of user in user: string, default "unknown" \(2 stored users get it at the next start\): wrote 4 files/,
    );
    const first = await startUser();
    for (const { id, ...fields } of OLD_USERS) {
      const response = await fetch(`${first.url}/users/${id}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id, ...fields, phone: 'unknown' });
    }
    const list = await fetch(`${first.url}/users?phone=unknown`);
    expect(((await list.json()) as { count: number }).count).toBe(2);
    // A new user must say it: the field is required.
    const refused = await fetch(`${first.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Alan', email: 'alan@example.com' }),
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('"loc":["body","phone"]');
    expect(first.child.output()).toContain('migrated the stored records (user-phone)');
    await first.child.stop('SIGTERM');

    const saved = JSON.parse(await readFile(join(user, 'data/user.json'), 'utf8'));
    expect(Object.keys(saved.migrations)).toEqual(['user-phone']);
    const second = await startUser();
    expect((await fetch(`${second.url}/users/u1`)).status).toBe(200);
    expect(second.child.output()).not.toContain('migrated the stored records');
  }, 60_000);

  it('an optional field needs no default: old users read back with 200, without it', async () => {
    expect(await run('field', '--', 'user', 'user', 'nickname?:string')).toMatchObject({ code: 0, err: [] });
    const { url } = await startUser();
    const response = await fetch(`${url}/users/u2`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ...OLD_USERS[1], phone: 'unknown' });
  }, 60_000);

  it('remove takes a field back, migration and all; the records keep what they were given', async () => {
    await run('remove', '--', 'field', 'user', 'user', 'nickname');
    const removed = await run('remove', '--', 'field', 'user', 'user', 'phone');
    expect(removed).toMatchObject({ code: 0, err: [] });
    const schemas = await readFile(join(user, 'src/schemas.ts'), 'utf8');
    expect(schemas).not.toMatch(/phone|nickname/);
    expect(await readFile(join(user, 'src/store.ts'), 'utf8')).not.toContain("id: 'user-phone'");
    expect(await readFile(join(user, 'src/store.ts'), 'utf8')).toBe(
      await readFile(join(REPO, 'services/user-service/src/store.ts'), 'utf8'),
    );
  });
});
