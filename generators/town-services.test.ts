import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, REPO } from './run.js';

const exec = promisify(execFile);
let root: string;

/**
 * The generators on a scratch copy of the town's own services, hand-written parts and all: a new service, then a
 * call from orders (whose app declares what it gets in src/deps.ts) and from user to it. The result type-checks.
 */
beforeAll(async () => {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  root = await mkdtemp(join(REPO, '.tmp', 'town-services-'));
  await cp(join(REPO, 'services'), join(root, 'services'), {
    recursive: true,
    filter: (path) => !/\/(node_modules|data)(\/|$)/.test(path),
  });
  await generate('service', ['payment', '4106'], { root });
  await generate('call', ['orders', 'payment'], { root });
  await generate('call', ['user', 'payment'], { root });
  const options = JSON.parse(await readFile(join(REPO, 'services/orders-service/tsconfig.json'), 'utf8'));
  await writeFile(join(root, 'tsconfig.json'), JSON.stringify({ ...options, include: ['services/*/src'] }));
}, 120_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("npm run generate call on the town's own services", () => {
  it('wires the new client into orders: its deps, its server, its test app, its settings and manifest', async () => {
    const read = (file: string) => readFile(join(root, 'services/orders-service', file), 'utf8');
    expect(await read('src/deps.ts')).toContain('  payment: PaymentClient;');
    expect(await read('src/server.ts')).toContain(
      '    payment: createPaymentClient(settings.PAYMENT_SERVICE_URL),',
    );
    expect(await read('src/server.ts')).toContain('      await deps.payment.close();');
    expect(await read('src/test-app.ts')).toContain(
      "    payment: createPaymentClient('http://127.0.0.1:9'),",
    );
    expect(JSON.parse(await read('service.json')).calls).toContain('payment');
  });

  it('type-checks (tsc --noEmit over every service)', async () => {
    await exec(join(REPO, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', root], { cwd: root });
  }, 60_000);
});
