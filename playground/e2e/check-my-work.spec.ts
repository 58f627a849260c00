import { copyFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { copyTown, type NpmStart, npmStart } from '../../test/town/npm-start.js';
import { makeTempDir } from '../../test/town/temp.js';
import { screenshotPath } from './fixtures.js';

// The chapter worked through in the page: exercise 01's starter runs in the town (a copy of it, which the test edits
// as a learner would), Check my work grades it with the same grader as `npm run grade`, and the learner's fixes
// reload until 14/14, without a terminal.
const ROOT = join(import.meta.dirname, '..', '..');
const EXERCISE = join(ROOT, 'exercises', '01-user-and-inventory');
let town: NpmStart;
let starter: string;
let root: string;
let dataDir: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  root = await copyTown();
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  starter = await mkdtemp(join(ROOT, '.tmp', 'starter-'));
  await cp(join(EXERCISE, 'starter'), starter, { recursive: true });
  dataDir = await makeTempDir('check');
  town = await npmStart(dataDir, { root, args: ['--exercise', '01', '--impl', starter] });
  await town.child.waitFor(/The town is up/, 200_000);
});

test.afterAll(async () => {
  await town?.child.stop('SIGTERM');
  for (const dir of [root, starter, dataDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

/** Saves a file of a correct learner's solution into the starter, as the learner's editor would. */
const save = (file: string) => copyFile(join(EXERCISE, 'fixtures', 'learner', file), join(starter, file));

async function checkMyWork(page: import('@playwright/test').Page) {
  const card = page.locator('#check');
  await expect(card.locator('button[name="check"]')).toBeEnabled();
  await card.locator('button[name="check"]').click();
  await expect(card.locator('.check-score')).toHaveText(/\d+\/14 points/, { timeout: 90_000 });
  return card;
}

test("Check my work grades the starter's services as they run, and again after each fix, until 14/14", async ({
  page,
}) => {
  test.setTimeout(300_000);
  expect(town.child.output()).toContain(
    `exercise 01-user-and-inventory: user, inventory from ${relative(ROOT, starter)}`,
  );
  // The starter runs in place of the town's user: it answers 404 to everything.
  expect((await fetch(`${town.url('user')}/users/1`)).status).toBe(404);

  await page.goto(town.playground);
  const card = page.locator('#check');
  await expect(card.locator('select[name="exercise"]')).toHaveValue('01-user-and-inventory');
  await expect(card.locator('.check-how')).toContainText('run in this town');
  await checkMyWork(page);
  await expect(card.locator('.check-score')).toHaveText('0/14 points');
  await expect(card.locator('.check-how')).toContainText('your user and inventory as they run in this town');
  const first = card.locator('li[data-task="1"]');
  await expect(first).toHaveAttribute('data-state', 'failed');
  await expect(first.locator('.hint')).toContainText('POST /users');
  // Its calls went through the playground: they show under the task and light up in the sequence view.
  await first.locator('button[name="calls"]').click();
  await expect(first.locator('.task-calls li', { hasText: 'outside → user' }).first()).toBeVisible();
  // and on the diagram: the customer's arrow into user is picked out.
  await expect(page.locator('#mermaid-text')).toContainText(
    /outside_customer --> user(?:.|\n)*stroke:#2563eb,stroke-width:4px/,
  );
  await page.screenshot({ path: screenshotPath('check-my-work-starter.png'), fullPage: false });

  // The learner writes the user service: it reloads, and its four tasks pass.
  await save('http.ts');
  await expect(page.locator('#notes')).toContainText('user reloaded (http.ts)', { timeout: 30_000 });
  await save('user.ts');
  await expect(page.locator('#notes')).toContainText('user reloaded (user.ts)', { timeout: 30_000 });
  // The learner's user has no /health: it answers, so it is up.
  await expect(page.locator('#services tr[data-service="user"]')).toHaveAttribute('data-health', 'up');
  await checkMyWork(page);
  await expect(card.locator('.check-score')).toHaveText('8/14 points');
  for (const task of [1, 2, 3, 4])
    await expect(card.locator(`li[data-task="${task}"]`)).toHaveAttribute('data-state', 'passed');
  await expect(card.locator('li[data-task="5"]')).toHaveAttribute('data-state', 'failed');
  // The grader's calls to it are on the page, as every call through the playground is.
  await expect(page.locator('#recent li', { hasText: 'outside → user' }).first()).toBeVisible();

  await save('inventory.ts');
  await expect(page.locator('#notes')).toContainText('inventory reloaded (inventory.ts)', {
    timeout: 30_000,
  });
  await checkMyWork(page);
  await expect(card.locator('.check-score')).toHaveText('14/14 points: all done');
  await page.screenshot({ path: screenshotPath('check-my-work-done.png'), fullPage: false });
});
