import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test/support/run-main.js';
import { scratchTown } from '../test/support/scratch-town.js';
import { snapshot as snapshotFiles } from '../test/support/snapshot.js';
import { main } from './cli.js';

// A scratch copy of the town's own services (hand-written parts and all), in the git-ignored .tmp/.
let root: string;
let town: Record<string, string>;
const snapshot = () => snapshotFiles(join(root, 'services'), ['data', 'node_modules']);
const run = (...argv: string[]) => runMain(main, root, argv);
const ok = async (...argv: string[]) => {
  const result = await run(...argv);
  expect(result.err, `npm run generate ${argv.join(' ')}`).toEqual([]);
  expect(result.code).toBe(0);
  return result;
};

beforeAll(async () => {
  root = await scratchTown('remove-test');
  town = await snapshot();
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('npm run generate remove takes back what a generator wrote', () => {
  it('service, resources and calls, taken back in another order than made, leave the town as it was', async () => {
    await ok('service', '--', 'shipping', '4105');
    await ok('resource', '--', 'shipping', 'parcel', 'label:string,weight:number');
    await ok('call', '--', 'shipping', 'user');
    await ok('call', '--', 'orders', 'shipping');
    await ok('resource', '--', 'orders', 'coupon', 'code:string');
    expect(existsSync(join(root, 'services/orders-service/generated.json'))).toBe(true);

    const refused = await run('remove', '--', 'service', 'shipping');
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.err).toEqual([
      'error: orders calls shipping: take that back first (npm run generate remove -- call orders shipping)',
    ]);

    const call = await ok('remove', '--', 'call', 'orders', 'shipping');
    expect(call.out[0]).toMatch(
      /^remove call shipping from orders: changed 8 files in services\/orders-service/,
    );
    expect(call.out).toContain('  delete services/orders-service/src/clients/shipping.ts');
    await ok('remove', '--', 'resource', 'shipping', 'parcel');
    await ok('remove', '--', 'call', 'shipping', 'user');
    const service = await ok('remove', '--', 'service', 'shipping');
    expect(service.out[0]).toMatch(
      /^remove service shipping: changed 14 files in services\/shipping-service/,
    );
    await ok('remove', '--', 'resource', 'orders', 'coupon');

    expect(await snapshot()).toEqual(town);
  }, 60_000);

  it('--dry-run shows the files and the lines it would take out, and changes nothing', async () => {
    await ok('resource', '--', 'user', 'address', 'street:string');
    const before = await snapshot();
    const dry = await ok('remove', '--', 'resource', 'user', 'address', '--dry-run');
    expect(dry.out[0]).toBe(
      'dry run: remove resource address from user would change 8 files in services/user-service; nothing was written',
    );
    expect(dry.out).toContain('  delete services/user-service/src/routes/addresses.ts');
    expect(dry.out).toContain("      - import { registerAddresses } from './routes/addresses.js';");
    expect(await snapshot()).toEqual(before);
    await ok('remove', '--', 'resource', 'user', 'address');
    expect(await snapshot()).toEqual(town);
  });

  it('refuses, naming the file, what was edited since, and what no generator recorded; nothing changes', async () => {
    await ok('resource', '--', 'user', 'address', 'street:string');
    const router = join(root, 'services/user-service/src/routes/addresses.ts');
    await appendFile(router, '// my own line\n');
    const before = await snapshot();
    expect(await run('remove', '--', 'resource', 'user', 'address')).toMatchObject({
      code: 1,
      err: [
        'error: services/user-service/src/routes/addresses.ts was edited since npm run generate wrote it; remove it by hand',
      ],
    });
    // The town's own resources were made before records were kept: they are the learner's to take out.
    const unrecorded = await run('remove', '--', 'resource', 'inventory', 'item');
    expect(unrecorded.code).toBe(1);
    expect(unrecorded.err[0]).toMatch(
      /^error: services\/inventory-service\/generated\.json has no record of resource item: only what npm run generate wrote/,
    );
    expect((await run('remove', '--', 'thing', 'user')).err[0]).toMatch(
      /^error: remove what\? npm run generate remove -- service/,
    );
    expect((await run('remove', '--', 'call', 'user')).err[0]).toBe(
      'error: missing the service called, e.g. remove -- call user user',
    );
    expect(await snapshot()).toEqual(before);
    await writeFile(router, (await readFile(router, 'utf8')).replace('// my own line\n', ''));
    await ok('remove', '--', 'resource', 'user', 'address');
    expect(await snapshot()).toEqual(town);
  });

  it("a service's data is never removed with it", async () => {
    await ok('service', '--', 'billing', '4106');
    await mkdir(join(root, 'services/billing-service/data'), { recursive: true });
    await writeFile(join(root, 'services/billing-service/data/billing.json'), '{"lastIds":{}}\n');
    expect((await run('remove', '--', 'service', 'billing')).err).toEqual([
      "error: services/billing-service/data/ holds billing's data; delete it yourself if you mean to lose it, then remove the service",
    ]);
    await rm(join(root, 'services/billing-service/data'), { recursive: true });
    await ok('remove', '--', 'service', 'billing');
    expect(existsSync(join(root, 'services/billing-service'))).toBe(false);
  });
});

describe('--force rewrites only what is as generated', () => {
  it('a hand-edited generated file needs --force twice; a hand-written one too', async () => {
    await ok('service', '--', 'billing', '4106');
    await ok('call', '--', 'billing', 'user');
    const client = join(root, 'services/billing-service/src/clients/user.ts');
    const generated = await readFile(client, 'utf8');
    expect((await ok('call', '--', 'billing', 'user', '--force')).out[0]).toMatch(/: nothing to change in /);
    await appendFile(client, 'export const mine = 1;\n');
    expect(await run('call', '--', 'billing', 'user', '--force')).toMatchObject({
      code: 1,
      err: [
        'error: services/billing-service/src/clients/user.ts was edited since npm run generate wrote it; --force rewrites only generated files: --force --force overwrites it (move your code beside it first)',
      ],
    });
    expect(await readFile(client, 'utf8')).toContain('export const mine = 1;');
    await ok('call', '--', 'billing', 'user', '-ff');
    expect(await readFile(client, 'utf8')).toBe(generated);

    // Orders' clients are written by hand (reservations, a breaker): --force leaves them be.
    const inventory = await readFile(join(root, 'services/orders-service/src/clients/inventory.ts'), 'utf8');
    expect((await run('call', '--', 'orders', 'inventory', '--force')).err).toEqual([
      'error: services/orders-service/src/clients/inventory.ts was not written by npm run generate; --force rewrites only generated files: --force --force overwrites it (move your code beside it first)',
    ]);
    expect(await readFile(join(root, 'services/orders-service/src/clients/inventory.ts'), 'utf8')).toBe(
      inventory,
    );

    await ok('remove', '--', 'call', 'billing', 'user');
    await ok('remove', '--', 'service', 'billing');
    expect(await snapshot()).toEqual(town);
  });
});
