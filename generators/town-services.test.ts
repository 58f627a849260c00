import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test/support/run-main.js';
import { scratchTown } from '../test/support/scratch-town.js';
import { snapshot } from '../test/support/snapshot.js';
import { main } from './cli.js';
import { generate, REPO } from './run.js';

const exec = promisify(execFile);
let root: string;

const TOWN = ['user', 'inventory', 'orders', 'notification'];
/** What each generator did to the town, command by command: the ones that the town's shape refuses, with why. */
const refused = new Map<string, string>();

/**
 * Every generator on a scratch copy of the town's own services, hand-written parts and all: a new service; a call
 * from each of the four to it and from it to each of them; a resource in each; a field on each resource made by the
 * resource generator. The result type-checks, passes biome, and every service's own tests pass.
 */
beforeAll(async () => {
  root = await scratchTown('town-services');
  const run = async (name: string, args: string[]) => {
    try {
      await generate(name, args, { root });
    } catch (error) {
      refused.set(`${name} ${args.join(' ')}`, (error as Error).message);
    }
  };
  await run('service', ['payment', '4106']);
  for (const name of TOWN) {
    await run('call', [name, 'payment']);
    await run('call', ['payment', name]);
    await run('resource', [name, 'voucher', 'code:string,amount:number']);
    await run('field', [name, 'voucher', 'note?:string']);
  }
  await run('field', ['user', 'user', 'phone?:string']);
  await run('field', ['inventory', 'item', 'shelf?:string']);
  const options = JSON.parse(await readFile(join(REPO, 'services/orders-service/tsconfig.json'), 'utf8'));
  await writeFile(join(root, 'tsconfig.json'), JSON.stringify({ ...options, include: ['services/*/src'] }));
}, 180_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("every generator on the town's own services", () => {
  it('wires the new client into orders: its deps, its server, its test app, its settings and manifest', async () => {
    const read = (file: string) => readFile(join(root, 'services/orders-service', file), 'utf8');
    expect(await read('src/deps.ts')).toContain('  payment: PaymentClient;');
    expect(await read('src/server.ts')).toContain(
      '    payment: createPaymentClient(settings.PAYMENT_SERVICE_URL),',
    );
    // Stopping closes every client in deps, the new one too.
    expect(await read('src/server.ts')).toMatch(/close: \[.*\bdeps, store\]/);
    expect(await read('src/test-app.ts')).toContain(
      "    payment: createPaymentClient('http://127.0.0.1:9'),",
    );
    expect(JSON.parse(await read('service.json')).calls).toContain('payment');
  });

  it('every generator ran on every service', () => {
    expect(Object.fromEntries(refused)).toEqual({});
  });

  it('type-checks (tsc --noEmit over every service)', async () => {
    await exec(join(REPO, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', root], { cwd: root });
  }, 60_000);

  it('passes biome, the repository lint', async () => {
    const biome = join(REPO, 'node_modules', '.bin', 'biome');
    await exec(biome, ['check', '--vcs-enabled=false', `--config-path=${REPO}`, join(root, 'services')]);
  }, 60_000);

  it("passes every service's own tests, over real HTTP", async () => {
    await exec(join(REPO, 'node_modules', '.bin', 'vitest'), ['run', '--root', root, '--dir', 'services'], {
      cwd: root,
    });
  }, 120_000);

  it('takes all of it back with remove, leaving the town as it was', async () => {
    const undo = async (...args: string[]) => {
      const result = await runMain(main, root, ['remove', '--', ...args]);
      expect(result.err, `remove ${args.join(' ')}`).toEqual([]);
    };
    await undo('field', 'inventory', 'item', 'shelf');
    await undo('field', 'user', 'user', 'phone');
    for (const name of TOWN) {
      await undo('field', name, 'voucher', 'note');
      await undo('resource', name, 'voucher');
      await undo('call', 'payment', name);
      await undo('call', name, 'payment');
    }
    await undo('service', 'payment');
    const skip = ['node_modules', 'data'];
    expect(await snapshot(join(root, 'services'), skip)).toEqual(
      await snapshot(join(REPO, 'services'), skip),
    );
  });
});
