import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, openPage, screenshotPath, test } from './fixtures.js';

/**
 * The console's requests to user go out as orders' client sends its calls: with `x-caller: orders` and a
 * traceparent, so that the playground records them on the edge orders -> user, in a trace of their own.
 */
async function callAsOrders(page: Page): Promise<string> {
  const traceId = randomBytes(16).toString('hex');
  await page.route('**/svc/user/**', (route) =>
    route.continue({
      headers: {
        ...route.request().headers(),
        'x-caller': 'orders',
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
    }),
  );
  return traceId;
}

/** Sends one request from the console, then opens its calls in the sequence view. */
async function sendAndShow(page: Page, method: string, path: string, body = '') {
  await page.locator('#console-service').selectOption('user');
  await page.locator('#console-method').selectOption(method);
  await page.locator('#console-path').fill(path);
  await page.locator('#console-body').fill(body);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('button', { name: "show this request's calls" }).click();
}

test.beforeEach(async ({ page, playground }) => {
  await openPage(page, playground);
  await expect(page.locator('#console-service option[value="user"]')).toHaveCount(1);
});

test('a call to a path the callee does not have names its nearest route, in the sequence and on the edge', async ({
  page,
}) => {
  const traceId = await callAsOrders(page);
  await sendAndShow(page, 'GET', '/user/u1');
  await expect(page.locator('#console output[name="status"]')).toHaveText('404 Not Found');
  await expect(page.locator('#sequence .trace code')).toHaveText(traceId);

  const call = page.locator('#sequence ol.calls li');
  await expect(call.locator('.edge')).toHaveText(['orders → user']);
  const why = call.locator('.why');
  await expect(why).toHaveAttribute('data-kind', 'wrong_url');
  await expect(why.locator('.sentence')).toHaveText(
    'wrong URL orders called GET /user/u1; user has GET /users/{user_id}.',
  );
  await expect(why.locator('.fix')).toContainText('Call GET /users/u1 instead');

  // The edge's latest call failed: the edges table says why, under the edge.
  await expect(page.locator('#diagram tr.problem[data-problem-for="orders->user"]')).toHaveText(
    'orders called GET /user/u1; user has GET /users/{user_id}.',
  );
  await page.locator('#diagram table.edges').screenshot({ path: screenshotPath('why-an-edge-fails.png') });
});

test('a wrong payload shows field by field what was sent and what the schema wants', async ({ page }) => {
  await callAsOrders(page);
  await sendAndShow(page, 'POST', '/users', JSON.stringify({ name: 'Ada', userId: 'u1' }));
  await expect(page.locator('#console output[name="status"]')).toHaveText('422 Unprocessable Entity');

  const why = page.locator('#sequence ol.calls li .why');
  await expect(why).toHaveAttribute('data-kind', 'wrong_payload');
  const rows = why.locator('table.fields tr');
  await expect(rows).toHaveText([
    'fieldsentexpected',
    'emailnothingstring (email), at most 254 characters',
    'userId"u1"no such field',
  ]);
  await page.locator('#sequence').screenshot({ path: screenshotPath('why-a-call-failed.png') });
});

test('an accepted call that sent an unknown field is shown as a warning', async ({ page }) => {
  await callAsOrders(page);
  await sendAndShow(
    page,
    'POST',
    '/users',
    JSON.stringify({ name: 'Ada', email: 'ada@example.com', userId: 'u1' }),
  );
  await expect(page.locator('#console output[name="status"]')).toHaveText('201 Created');
  const why = page.locator('#sequence ol.calls li .why');
  await expect(why).toHaveAttribute('data-kind', 'payload_warning');
  await expect(why.locator('.fix')).toContainText('Remove userId from what orders sends');
});
