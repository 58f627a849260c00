import type { Page } from '@playwright/test';
import { expect, openPage, placeOrder, screenshotPath, test } from './fixtures.js';

const TOWN = ['user', 'inventory', 'orders', 'notification'];
const ORDERS_EDGES = ['orders->user', 'orders->inventory', 'orders->notification'];

const row = (page: Page, service: string) => page.locator(`#services tr[data-service="${service}"]`);
const edge = (page: Page, name: string) => page.locator(`#diagram tr[data-edge="${name}"]`);

test('the page shows the four services, healthy, with their ports and records', async ({
  page,
  playground,
  running,
}) => {
  await openPage(page, playground);
  for (const name of TOWN) {
    await expect(row(page, name)).toHaveAttribute('data-health', 'up');
    await expect(row(page, name).locator('.health')).toHaveText('up');
    await expect(row(page, name).locator('.port')).toHaveText(String(running.town.services.get(name)?.port));
  }
  await expect(row(page, 'user').locator('.records')).toHaveText(/^users: [1-9]\d*$/);
  await expect(row(page, 'inventory').locator('.records')).toHaveText(/^items: [1-9]\d*$/);
  // Before any call, the expected edges are drawn as missing.
  for (const name of ORDERS_EDGES) await expect(edge(page, name)).toHaveAttribute('data-state', 'missing');
});

test('health is live: a service that stops shows down, and up again when it is back', async ({
  page,
  playground,
  running,
}) => {
  await page.goto(playground.url);
  await expect(row(page, 'inventory')).toHaveAttribute('data-health', 'up');
  await running.town.stop('inventory');
  try {
    await expect(row(page, 'inventory')).toHaveAttribute('data-health', 'down');
    await expect(row(page, 'inventory').locator('.health')).toHaveText('down');
  } finally {
    await running.town.start('inventory');
  }
  await expect(row(page, 'inventory')).toHaveAttribute('data-health', 'up');
});

test('placing an order from the console draws the three edges from orders', async ({ page, playground }) => {
  await page.goto(playground.url);
  await expect(row(page, 'orders')).toHaveAttribute('data-health', 'up');
  const order = await placeOrder(page);
  expect(order).toMatchObject({ status: 'confirmed', user_id: 'u1', item_id: 'item1' });
  for (const name of ORDERS_EDGES) {
    await expect(edge(page, name)).toHaveAttribute('data-state', 'seen');
  }
  const diagram = page.locator('#diagram .mermaid-box svg');
  await expect(diagram).toBeVisible();
  await expect(diagram.getByText('expected, not seen yet')).toHaveCount(0);
  await expect(diagram.getByText(/^1 call · p50/)).toHaveCount(3);
  await expect(page.locator('#recent li[data-id]').first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('playground.png'), fullPage: true });

  await page.getByRole('tab', { name: 'as text' }).click();
  await expect(page.locator('#arrows-text')).toHaveText(
    'orders --> user\norders --> inventory\norders --> notification\n',
  );
  await expect(page.locator('#mermaid-text')).toContainText('flowchart LR');
  await expect(page.locator('#mermaid-text')).toContainText('orders -->|"1 call · p50');
  await page.locator('#diagram').screenshot({ path: screenshotPath('diagram-text.png') });
});

test('with notification switched down an order is still confirmed, and its message goes out once it is back', async ({
  page,
  playground,
}) => {
  await page.goto(playground.url);
  await page.getByRole('button', { name: 'notification: down' }).click();
  await expect(row(page, 'notification')).toHaveAttribute('data-switch', 'down');
  await expect(row(page, 'notification').locator('.health')).toHaveText('switched off');

  const order = await placeOrder(page);
  expect(order).toMatchObject({ status: 'confirmed', notification: 'pending' });
  // The outbox tried to deliver and the proxy answered 503 for notification.
  await expect(edge(page, 'orders->notification').locator('td').nth(3)).not.toHaveText('0');
  await page.screenshot({ path: screenshotPath('notification-down.png'), fullPage: true });

  await page.getByRole('button', { name: 'notification: normal' }).click();
  await expect(row(page, 'notification')).toHaveAttribute('data-switch', 'normal');
  const picker = page.getByLabel('order', { exact: true });
  await expect(async () => {
    await page.getByRole('button', { name: 'refresh orders' }).click();
    await expect(picker.locator(`option[value="${order.id}"]`)).toContainText('notification sent', {
      timeout: 500,
    });
  }).toPass({ timeout: 30_000 });
});

test('the sequence view lists the calls of one order, in order', async ({ page, playground }) => {
  await page.goto(playground.url);
  const order = await placeOrder(page);
  await expect(edge(page, 'orders->notification')).toHaveAttribute('data-state', 'seen');
  // The console shows the calls of the order it just placed; pick the first one back from the list.
  const later = await placeOrder(page);
  await expect(page.locator('#sequence .trace code')).toHaveText(later.trace_id);
  await page.getByRole('button', { name: 'refresh orders' }).click();
  await page.getByLabel('order', { exact: true }).selectOption(order.id);
  await expect(page.locator('#sequence .trace code')).toHaveText(order.trace_id);
  const calls = page.locator('#sequence ol.calls li');
  await expect(calls.locator('.edge')).toHaveText([
    'outside → orders',
    'orders → user',
    'orders → inventory',
    'orders → notification',
  ]);
  await expect(calls.locator('.request')).toHaveText([
    'POST /orders',
    'GET /users/u1',
    'POST /reservations',
    'POST /send',
  ]);
  await expect(calls.locator('.status')).toHaveText(['201', '200', '201', '201']);
  await expect(page.locator('#sequence .trace code')).toHaveText(/^[0-9a-f]{32}$/);
  await page.locator('#sequence').screenshot({ path: screenshotPath('sequence.png') });
});

test('a call nobody expects is drawn as unexpected; the diagram copies as text', async ({
  page,
  playground,
}) => {
  await openPage(page, playground, { clipboard: true });
  // As if user called orders: the manifests declare no such edge.
  const response = await fetch(`${playground.url}/svc/orders/orders?limit=1`, {
    headers: { 'x-caller': 'user' },
  });
  expect(response.status).toBe(200);
  await expect(edge(page, 'user->orders')).toHaveAttribute('data-state', 'unexpected');
  await expect(page.locator('#diagram .mermaid-box svg').getByText(/^unexpected: 1 call/)).toBeVisible();
  await page.getByRole('tab', { name: 'as text' }).click();
  await expect(page.locator('#arrows-text')).toHaveText('user --> orders\n');
  await page.locator('button[data-copy="arrows-text"]').click();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe('user --> orders\n');
});

test("the console's last request shows its own calls", async ({ page, playground }) => {
  await page.goto(playground.url);
  await page.getByLabel('preset').selectOption({ label: 'user: read user u1' });
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#console output[name="status"]')).toHaveText('200 OK');
  await expect(page.locator('#console pre.response-body')).toContainText('"Santanu"');
  await expect(page.locator('#console output[name="time"]')).toHaveText(/^\d+\.\d ms$/);
  await page.getByRole('button', { name: "show this request's calls" }).click();
  await expect(page.locator('#sequence ol.calls li .request')).toHaveText(['GET /users/u1']);
  await expect(page.locator('#sequence ol.calls li .edge')).toHaveText(['outside → user']);
});

test('the proxy refuses a service that is not in the town', async ({ page, playground }) => {
  // The browser itself resolves `..` and `%2e%2e`; the server's tests send those raw.
  for (const path of ['/svc/nope/users', '/svc/user%2F../orders', '/svc/user@example.com/users']) {
    const response = await page.goto(`${playground.url}${path}`);
    expect(response?.status(), path).toBe(404);
    expect(await response?.json(), path).toEqual({
      detail: expect.stringContaining("reaches only the town's services"),
    });
  }
  expect(playground.recorder.calls()).toEqual([]);
});
