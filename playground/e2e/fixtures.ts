import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BREAKER_DEFAULTS } from '@microtown/kit';
import { freePort } from '@microtown/kit/testing';
import { test as base, expect, type Page } from '@playwright/test';
import { startTown, type Town } from '../../test/town/town.js';
import { PAGE_DIR, type Playground, readTown, serviceUrlVariable, startPlayground } from '../server/index.js';
import { townReady } from '../server/testing/town-ready.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface Running {
  town: Town;
  playground: Playground;
}

/**
 * The town as `npm start` runs it, on free ports with temp data: every service reaches the others through the
 * playground, so the playground sees every call. One per worker; stopped (whole process groups) after.
 */
export const test = base.extend<{ playground: Playground }, { running: Running }>({
  running: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function asks for
    async ({}, use) => {
      const port = await freePort();
      const names = (await readTown(ROOT)).map((s) => s.name);
      const through = Object.fromEntries(
        names.map((name) => [serviceUrlVariable(name), `http://127.0.0.1:${port}/svc/${name}`]),
      );
      const town = await startTown({ env: through });
      try {
        const direct = Object.fromEntries(names.map((name) => [serviceUrlVariable(name), town.url(name)]));
        const playground = await startPlayground({
          port,
          services: await readTown(ROOT, { ...direct, TOWN_DATA_DIR: town.dir }),
          page: PAGE_DIR,
          probeIntervalMs: 300,
          reset: (services) => resetToSeed(town, services),
        });
        // At start orders asks inventory for stock held for orders it never stored (retrying until the playground
        // answers): that call is over before the tests, which each start from an empty record.
        await townReady(playground);
        await use({ town, playground });
        await playground.close();
      } finally {
        await town.close();
      }
    },
    { scope: 'worker' },
  ],
  playground: async ({ running }, use) => {
    // Each test starts from a quiet playground: nothing recorded, every switch normal, no fault set, and orders'
    // circuit breakers closed again after the failures the last test may have caused.
    await breakersPaused(running.playground);
    running.playground.recorder.clear();
    running.playground.faults.clear();
    for (const name of running.town.services.keys())
      running.playground.switches.set(name, { mode: 'normal' });
    await use(running.playground);
  },
});

/** How long orders' circuit breakers stay open (the kit client's default pause), and a margin for the clock. */
const BREAKER_PAUSE_MS = BREAKER_DEFAULTS.pauseMs + 250;

/**
 * Waits until a breaker opened by orders' last failed call (no answer, or a 5xx) would have paused: after that,
 * the next call orders makes goes through and, when it passes, closes the breaker.
 */
async function breakersPaused(playground: Playground): Promise<void> {
  const failed = playground.recorder
    .calls({ caller: 'orders' })
    .filter((c) => c.status === 0 || c.status >= 500)
    .map((c) => c.started_ms + c.duration_ms);
  const wait = Math.max(0, ...failed) + BREAKER_PAUSE_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

export { expect };

/** As `npm start` resets a service: stopped, its data file and journal removed, started again to write its seed. */
async function resetToSeed(town: Town, services: string[]): Promise<void> {
  for (const name of services) {
    const file = town.services.get(name)?.dataFile;
    if (!file) throw new Error(`no service ${name} in this town`);
    await town.stop(name);
    await rm(`${file}.journal`, { force: true });
    await rm(file, { force: true });
    await town.start(name);
  }
}

/**
 * Where a screenshot goes: docs/img/ for `npm run docs:screenshots`, so the docs show the page these tests saw;
 * test-results/ otherwise, so that `npm test` leaves the working tree as it found it.
 */
export const screenshotPath = (name: string) =>
  join(
    process.env.DOCS_SCREENSHOTS ? join(ROOT, 'docs', 'img') : join(ROOT, 'test-results', 'screenshots'),
    name,
  );

/** Places an order from the console with the chapter's preset; returns the order the service answered. */
export async function placeOrder(
  page: Page,
): Promise<{ id: string; status: string; notification: string; trace_id: string }> {
  await page.getByLabel('preset').selectOption({ label: 'orders: place an order (JSON)' });
  // Wait for this order's answer, not the one a previous call left on the page.
  const answered = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/svc/orders/orders',
  );
  await page.getByRole('button', { name: 'Send' }).click();
  const order = await (await answered).json();
  await expect(page.locator('#console output[name="status"]')).toHaveText('201 Created');
  await expect(page.locator('#console pre.response-body')).toContainText(order.id);
  return order;
}

/** Opens the page and waits until its live feed of calls is connected; `clipboard` lets a test copy and read back. */
export async function openPage(
  page: Page,
  playground: Playground,
  { clipboard = false } = {},
): Promise<void> {
  if (clipboard) await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(playground.url);
  await expect(page.locator('#live')).toHaveText('live');
}
