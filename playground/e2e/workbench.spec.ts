import { appendFile, cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { copyTown, type NpmStart, npmStart } from '../../test/town/npm-start.js';
import { makeTempDir } from '../../test/town/temp.js';

// The learner's loop: `npm start` runs a copy of the town, the test edits its user service as a learner would, and
// the page shows the reload, the crash of a bad save, and the services' logs.
let town: NpmStart;
let root: string;
let dataDir: string;
const usersFile = () => join(root, 'services', 'user-service', 'src', 'routes', 'users.ts');

test.beforeAll(async () => {
  test.setTimeout(240_000);
  root = await copyTown();
  dataDir = await makeTempDir('workbench');
  town = await npmStart(dataDir, { root });
  await town.child.waitFor(/The town is up/, 200_000);
});

test.afterAll(async () => {
  await town?.child.stop('SIGTERM');
  await rm(root, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

const createUser = (email: string) =>
  fetch(`${town.playground}/svc/user/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Ada Lovelace', email }),
  });

test('the logs panel shows each service readable lines, filtered by service and level; a trace opens its calls', async ({
  page,
}) => {
  expect((await createUser('ada-logs@example.com')).status).toBe(201);
  await page.goto(town.playground);
  const logs = page.locator('#logs');
  const line = logs.locator('li', { hasText: 'POST /users' }).first();
  await expect(line).toContainText('201');
  await expect(line.locator('.service')).toHaveText('user');
  await expect(logs.locator('li', { hasText: 'user service listening' })).toHaveCount(1);
  // The playground's probes (health, record counts each second) are not there.
  await expect(logs.locator('li', { hasText: /[?&]limit=1(\D|$)/ })).toHaveCount(0);

  await logs.locator('select[name="service"]').selectOption('inventory');
  await expect(logs.locator('li', { hasText: 'POST /users' })).toHaveCount(0);
  await expect(logs.locator('li', { hasText: 'inventory service listening' })).toHaveCount(1);
  await logs.locator('select[name="service"]').selectOption('');
  await logs.locator('select[name="level"]').selectOption('error');
  await expect(logs.locator('li', { hasText: 'POST /users' })).toHaveCount(0);
  await logs.locator('select[name="level"]').selectOption('info');

  // A new line arrives live, and its trace link opens the request's calls.
  expect((await createUser('ada-live@example.com')).status).toBe(201);
  await expect(logs.locator('li', { hasText: 'POST /users' })).toHaveCount(2);
  await logs.locator('li', { hasText: 'POST /users' }).last().locator('button.trace-link').click();
  await expect(page.locator('#sequence ol.calls li', { hasText: 'POST /users' })).toHaveCount(1);

  // The terminal shows the same readable line, not the JSON the service printed.
  expect(town.child.output()).toMatch(
    /\[user\]\s+\d\d:\d\d:\d\d INFO\s+POST \/users 201 [\d.]+ ms trace [0-9a-f]{8}/,
  );
  expect(town.child.output()).not.toContain('"msg":"request"');
});

test('saving a file of a service reloads it alone; a bad save shows its error until the next good one', async ({
  page,
}) => {
  await page.goto(town.playground);
  await expect(page.locator('#live')).toHaveText('live');
  expect((await createUser('ada-before@example.com')).status).toBe(201);
  const posts = page.locator('#recent li', { hasText: 'POST /users' });
  await expect(posts.first()).toBeVisible();
  const before = await posts.count();
  const good = await readFile(usersFile(), 'utf8');

  await appendFile(usersFile(), '\n// a learner was here\n');
  await expect(page.locator('#notes')).toContainText('user reloaded (src/routes/users.ts)', {
    timeout: 20_000,
  });
  expect((await createUser('ada-after@example.com')).status).toBe(201);
  // The calls recorded before the reload are still there.
  await expect(posts).toHaveCount(before + 1);

  await writeFile(usersFile(), `${good}\nthis is not TypeScript(\n`);
  const down = page.locator('#notes .note[data-kind="crashed"]');
  await expect(down).toContainText('user is down', { timeout: 20_000 });
  await expect(down).toContainText(/users\.ts/);
  expect(town.child.output()).toMatch(/\[user\]\s+crashed: .*; it starts again on the next save/);
  await expect(page.locator('#logs li[data-level="error"][data-service="user"]').first()).toBeVisible();

  await writeFile(usersFile(), good);
  await expect(page.locator('#notes')).toContainText('user reloaded (src/routes/users.ts)', {
    timeout: 20_000,
  });
  await expect(down).toHaveCount(0);
  expect((await createUser('ada-fixed@example.com')).status).toBe(201);
  // The others kept running all along.
  expect((await fetch(`${town.url('inventory')}/health`)).status).toBe(200);
});

test('a service made while the town runs joins it: started, proxied, and on the page, without a restart', async ({
  page,
}) => {
  await page.goto(town.playground);
  await expect(page.locator('#live')).toHaveText('live');
  // What `npm run generate service -- parcel 4105` leaves behind: a folder with its manifest and its code.
  const parcel = join(root, 'services', 'parcel-service');
  await cp(join(root, 'services', 'notification-service'), parcel, { recursive: true });
  const manifest = JSON.parse(await readFile(join(parcel, 'service.json'), 'utf8'));
  await writeFile(join(parcel, 'service.json'), JSON.stringify({ ...manifest, name: 'parcel', port: 4105 }));

  await expect(page.locator('#notes')).toContainText('parcel joined the town', { timeout: 20_000 });
  const row = page.locator('#services tr[data-service="parcel"]');
  await expect(row).toContainText('up', { timeout: 20_000 });
  expect((await fetch(`${town.playground}/svc/parcel/health`)).status).toBe(200);
  expect(town.child.output()).toMatch(
    /\[parcel\]\s+new service: joins the town at http:\/\/127\.0\.0\.1:\d+/,
  );
  // It is watched like the others.
  await appendFile(join(parcel, 'src', 'server.ts'), '\n// edited\n');
  await expect(page.locator('#notes')).toContainText('parcel reloaded (src/server.ts)', { timeout: 20_000 });
});

test("the Data card's reset, under npm start: the service is restarted on its seed data, the others untouched", async ({
  page,
}) => {
  const created = (await (await createUser('ada-reset@example.com')).json()) as { id: string };
  await page.goto(town.playground);
  const card = page.locator('#data');
  await card.locator('select[name="service"]').selectOption('user');
  await expect(card.locator('[data-panel="tables"]')).toContainText('ada-reset@example.com');
  await card.getByRole('button', { name: 'reset this service' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(card.locator('.reset-status')).toHaveText('user: back to the seed data', { timeout: 30_000 });
  await expect(card.locator('[data-panel="tables"]')).not.toContainText('ada-reset@example.com');
  expect((await fetch(`${town.url('user')}/users/${created.id}`)).status).toBe(404);
  expect(town.child.output()).toMatch(/\[user\]\s+data reset to its seed/);
  expect((await fetch(`${town.url('inventory')}/health`)).status).toBe(200);
});
