import type { Page } from '@playwright/test';
import type { Playground } from '../server/index.js';
import { expect, openPage, screenshotPath, test } from './fixtures.js';

const ORDER = { user_id: 'u1', item_id: 'item1', quantity: 1 };

const edge = (page: Page, name: string) => page.locator(`#diagram tr[data-edge="${name}"]`);
/** Opens the page; returns its Faults card. */
async function openFaults(page: Page, playground: Playground) {
  await openPage(page, playground);
  return page.locator('#faults');
}

/** An order placed as the customer would, through the proxy (so from outside, and orders calls the others). */
const placeOrder = (url: string) =>
  fetch(`${url}/svc/orders/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ORDER),
  });

test('a 503 set on orders → inventory from the page fails the orders, is drawn ⚡, and clearing it heals them', async ({
  page,
  playground,
}) => {
  const card = await openFaults(page, playground);
  await expect(card.locator('li.no-faults')).toBeVisible();

  await card.getByLabel('on', { exact: true }).selectOption('edge');
  await card.getByLabel('from', { exact: true }).selectOption('orders');
  await card.getByLabel('to', { exact: true }).selectOption('inventory');
  await card.getByLabel('kind', { exact: true }).selectOption('error');
  await card.getByLabel('status', { exact: true }).selectOption('503');
  // Fields another kind uses are not shown.
  await expect(card.getByLabel('delay (ms)', { exact: true })).toBeHidden();
  await card.getByRole('button', { name: 'Set fault' }).click();

  const fault = card.locator('li.fault');
  await expect(fault).toHaveCount(1);
  await expect(fault.locator('.what')).toHaveText('orders → inventory · error 503');
  await expect(fault.locator('.hits')).toHaveText('0 hits');
  await expect(edge(page, 'orders->inventory')).toHaveAttribute('data-faulted', 'true');
  await expect(edge(page, 'orders->user')).toHaveAttribute('data-faulted', 'false');
  const diagram = page.locator('#diagram .mermaid-box');
  await expect(diagram).toHaveAttribute('data-drawn', 'true');
  await expect(diagram.locator('svg').getByText(/⚡ fault/)).toHaveCount(1);

  const failed = await placeOrder(playground.url);
  expect(failed.status).toBeGreaterThanOrEqual(500);
  expect(await failed.json()).toEqual({ detail: expect.stringContaining('inventory') });
  // Orders' client retried the reservation: the fault counted every attempt.
  await expect(fault.locator('.hits')).not.toHaveText('0 hits');
  await expect(edge(page, 'orders->inventory')).toHaveAttribute('data-failing', 'true');
  await expect(diagram).toHaveAttribute('data-drawn', 'true');
  await page.screenshot({ path: screenshotPath('faults.png'), fullPage: true });

  await card.getByRole('button', { name: 'clear all' }).click();
  await expect(card.locator('li.no-faults')).toBeVisible();
  await expect(edge(page, 'orders->inventory')).toHaveAttribute('data-faulted', 'false');
  await expect(diagram).toHaveAttribute('data-drawn', 'true');
  await expect(diagram.locator('svg').getByText(/⚡ fault/)).toHaveCount(0);

  // Orders' breaker opened on the failures (the order's tries and the release of its stock): it answers 503 at
  // once for 2 s, then lets a call through, which passes.
  await expect(async () => {
    const placed = await placeOrder(playground.url);
    expect(placed.status).toBe(201);
    expect(await placed.json()).toMatchObject({ status: 'confirmed', ...ORDER });
  }).toPass({ timeout: 8000, intervals: [500] });
});

test('the form refuses what the API refuses, and a fault is removed on its own', async ({
  page,
  playground,
}) => {
  const card = await openFaults(page, playground);
  await card.getByLabel('to', { exact: true }).selectOption('user');
  await card.getByLabel('kind', { exact: true }).selectOption('fail_first');
  // The browser checks the numbers' bounds itself; the rest the API refuses, and the card says why.
  await card.getByLabel('path', { exact: true }).fill('users');
  await card.getByRole('button', { name: 'Set fault' }).click();
  await expect(card.getByRole('status')).toHaveText(/^422: path: String should match/);

  await card.getByLabel('N', { exact: true }).fill('2');
  await card.getByLabel('method', { exact: true }).selectOption('GET');
  await card.getByLabel('path', { exact: true }).fill('/users/*');
  await card.getByRole('button', { name: 'Set fault' }).click();
  const fault = card.locator('li.fault');
  await expect(fault.locator('.what')).toHaveText('user (any caller) · first 2 fail with 503 · GET /users/*');
  // A fault on a whole service marks the service itself.
  await expect(page.locator('#diagram .mermaid-box svg').getByText(/⚡ fault · user/)).toBeVisible();
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await fetch(`${playground.url}/svc/user/users/u1`)).status);
  expect(statuses).toEqual([503, 503, 200]);
  await expect(fault.locator('.hits')).toHaveText('2 of 2 failed');

  await fault.getByRole('button', { name: /^remove fault/ }).click();
  await expect(card.locator('li.no-faults')).toBeVisible();
  expect(await (await fetch(`${playground.url}/api/faults`)).json()).toEqual({ data: [], count: 0 });
});
