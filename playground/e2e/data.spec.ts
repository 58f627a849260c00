import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const card = (page: Page) => page.locator('#data');
const usersTable = (page: Page) => card(page).locator('table[data-collection="users"]');

/** A user made through the playground's proxy, as a learner would with curl; unique per run. */
async function createUser(url: string): Promise<{ id: string; email: string }> {
  const email = `ada.${Date.now()}@example.com`;
  const response = await fetch(`${url}/svc/user/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Ada Lovelace', email }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; email: string };
}

async function pick(page: Page, service: string) {
  await expect(card(page).getByLabel('service')).toContainText(service);
  await card(page).getByLabel('service').selectOption(service);
}

test("the Data card shows a service's collections as tables and its file as JSON", async ({
  page,
  playground,
}) => {
  const user = await createUser(playground.url);
  await page.goto(playground.url);
  await pick(page, 'user');
  await expect(usersTable(page).locator('thead th')).toHaveText(['id', 'name', 'email']);
  await expect(usersTable(page).getByRole('row').filter({ hasText: user.email })).toContainText(user.id);
  await expect(card(page).locator('.data-file code')).toHaveText(/user\.json$/);

  await card(page).getByRole('tab', { name: 'as JSON file' }).click();
  await expect(card(page).locator('[data-panel="file"] pre')).toContainText(`"email": "${user.email}"`);
  await expect(usersTable(page)).toBeHidden();

  // Another service, another file: inventory's items.
  await card(page).getByRole('tab', { name: 'tables' }).click();
  await pick(page, 'inventory');
  await expect(card(page).locator('table[data-collection="items"] tbody tr').first()).toBeVisible();
});

test('a new record shows in the table without reading again by hand', async ({ page, playground }) => {
  await page.goto(playground.url);
  await pick(page, 'user');
  await expect(usersTable(page)).toBeVisible();
  // The record count changes: the services event tells the card to read the file again.
  const user = await createUser(playground.url);
  await expect(usersTable(page)).toContainText(user.email);
  // The file itself catches up once the service rewrites it from its journal; the card reads it again by itself.
  await card(page).getByRole('tab', { name: 'as JSON file' }).click();
  await expect(card(page).locator('[data-panel="file"] pre')).toContainText(`"email": "${user.email}"`);
  await expect(card(page).locator('.data-status')).not.toContainText('behind');
});

test('reset asks first; Cancel keeps the data, Reset puts the seed back', async ({ page, playground }) => {
  const user = await createUser(playground.url);
  await page.goto(playground.url);
  await pick(page, 'user');
  await expect(usersTable(page)).toContainText(user.email);

  const dialog = page.getByRole('dialog');
  await card(page).getByRole('button', { name: 'reset this service' }).click();
  await expect(dialog).toContainText('Reset user to its seed data?');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(usersTable(page)).toContainText(user.email);

  await card(page).getByRole('button', { name: 'reset this service' }).click();
  await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(card(page).locator('.reset-status')).toHaveText('user: back to the seed data', {
    timeout: 30_000,
  });
  await expect(usersTable(page)).not.toContainText(user.email);
  // The chapter's seed user is back, and the service answers again.
  await expect(usersTable(page)).toContainText('santanu@example.com');
  expect((await fetch(`${playground.url}/svc/user/users/${user.id}`)).status).toBe(404);
  await expect(page.locator('#services tr[data-service="user"]')).toHaveAttribute('data-health', 'up');
});

test('reset the whole town puts every service back to its seed', async ({ page, playground }) => {
  const user = await createUser(playground.url);
  await page.goto(playground.url);
  await pick(page, 'user');
  await expect(usersTable(page)).toContainText(user.email);

  await card(page).getByRole('button', { name: 'reset the whole town' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Reset every service (user, inventory, orders, notification)');
  await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(card(page).locator('.reset-status')).toHaveText('the whole town: back to the seed data', {
    timeout: 45_000,
  });
  await expect(usersTable(page)).not.toContainText(user.email);
  for (const name of ['user', 'inventory', 'orders', 'notification']) {
    await expect(page.locator(`#services tr[data-service="${name}"]`)).toHaveAttribute('data-health', 'up');
  }
});
