import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** Swagger UI's block for one operation: its id is `operations-<tag>-<operationId>`. */
const operation = (page: Page, tag: string, operationId: string) =>
  page.locator(`#operations-${tag}-${operationId}`);

/** Expands an operation, presses "Try it out", fills the body if given, presses Execute; returns the block. */
async function tryItOut(page: Page, tag: string, operationId: string, body?: object) {
  const block = operation(page, tag, operationId);
  await block.locator('.opblock-summary').click();
  await block.getByRole('button', { name: 'Try it out' }).click();
  if (body) await block.locator('textarea.body-param__text').fill(JSON.stringify(body));
  await block.getByRole('button', { name: 'Execute' }).click();
  return block;
}

/** What Swagger UI shows after Execute: the live answer's status and body, and the URL it says it called. */
const liveStatus = (block: ReturnType<typeof operation>) =>
  block.locator('.live-responses-table tbody .response-col_status');
const liveBody = (block: ReturnType<typeof operation>) =>
  block.locator('.live-responses-table tbody .response-col_description');
const requestUrl = (block: ReturnType<typeof operation>) => block.locator('.request-url pre');

test('Swagger UI through the playground: Try it out calls /svc/user/..., and the playground records it', async ({
  page,
  playground,
}) => {
  await page.goto(`${playground.url}/svc/user/docs`);
  await expect(page.locator('.info .title')).toContainText('user service');
  const email = `swagger-${Date.now()}@example.com`;
  const answered = page.waitForResponse((r) => r.request().method() === 'POST');
  const block = await tryItOut(page, 'users', 'create_user', { name: 'Swagger', email });

  const response = await answered;
  expect(new URL(response.url()).pathname).toBe('/svc/user/users');
  await expect(liveStatus(block)).toHaveText('201');
  await expect(requestUrl(block)).toHaveText(`${playground.url}/svc/user/users`);
  await expect(liveBody(block)).toContainText(email);
  await expect
    .poll(() => playground.recorder.calls({ callee: 'user' }).filter((c) => c.method === 'POST'))
    .toEqual([expect.objectContaining({ caller: null, path: '/users', status: 201 })]);
});

test("Swagger UI at a service's own port calls that port", async ({ page, running }) => {
  const direct = running.town.url('user');
  await page.goto(`${direct}/docs`);
  const block = await tryItOut(page, 'health', 'get_health');
  await expect(liveStatus(block)).toHaveText('200');
  await expect(requestUrl(block)).toHaveText(`${direct}/health`);
});

test("the playground's own /docs calls the playground's API", async ({ page, playground }) => {
  await page.goto(`${playground.url}/docs`);
  await expect(page.locator('.info .title')).toContainText('playground service');
  const block = await tryItOut(page, 'health', 'get_health');
  await expect(liveStatus(block)).toHaveText('200');
  await expect(requestUrl(block)).toHaveText(`${playground.url}/health`);
  await expect(liveBody(block)).toContainText('"playground"');
});

test('Redoc through the playground renders the service from the local bundle', async ({
  page,
  playground,
}) => {
  // What reached a server (Redoc's worker is a blob: URL; its Redocly logo from a CDN is blocked by the page's CSP).
  const fetched: string[] = [];
  page.on('requestfinished', (r) => {
    if (/^https?:/.test(r.url())) fetched.push(r.url());
  });
  await page.goto(`${playground.url}/svc/user/redoc`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('user service');
  await expect(page.getByRole('heading', { name: 'Create a user' })).toBeVisible();
  // Everything came through the playground, from the service: the page, the bundle, the spec. No CDN.
  expect(fetched).toEqual(
    expect.arrayContaining([
      `${playground.url}/svc/user/redoc/redoc.standalone.js`,
      `${playground.url}/svc/user/openapi.json`,
    ]),
  );
  expect(fetched.filter((url) => !url.startsWith(`${playground.url}/svc/user/`))).toEqual([]);
});
