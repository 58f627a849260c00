import type { Page } from '@playwright/test';
import { expect, openPage, screenshotPath, test } from './fixtures.js';

/**
 * The four faults of the chapter's "debug service-to-service communication", made as docs/course/6-debug.md tells
 * a learner to make them, and explained as the page explains them there.
 */

/** Sends one request from the console and opens its calls in the sequence view; returns its answer's trace id. */
async function send(page: Page, service: string, method: string, path: string, body = ''): Promise<string> {
  await page.locator('#console-service').selectOption(service);
  await page.locator('#console-method').selectOption(method);
  await page.locator('#console-path').fill(path);
  await page.locator('#console-body').fill(body);
  return sendAndShow(page, `/svc/${service}${path.split('?')[0]}`);
}

/** Presses Send, waits for this request's own answer (not the one a previous call left) and shows its calls. */
async function sendAndShow(page: Page, pathname: string): Promise<string> {
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === pathname);
  await page.getByRole('button', { name: 'Send' }).click();
  const traceId = (await answered).headers()['x-trace-id'] ?? '';
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  await page.getByRole('button', { name: "show this request's calls" }).click();
  await expect(page.locator('#sequence .trace code')).toHaveText(traceId);
  return traceId;
}

/** The console's preset order, as a customer places it. */
async function placeOrder(page: Page): Promise<string> {
  await page.getByLabel('preset').selectOption({ label: 'orders: place an order (JSON)' });
  return sendAndShow(page, '/svc/orders/orders');
}

/** What a learner's orders sends through `<NAME>_SERVICE_URL`: the playground's `/svc/<name>`, with `x-caller`. */
async function callAsOrders(url: string, init: RequestInit = {}): Promise<number> {
  const headers = { 'x-caller': 'orders', 'content-type': 'application/json' };
  const response = await fetch(url, { ...init, headers });
  await response.arrayBuffer();
  return response.status;
}

const calls = (page: Page, edge: string) =>
  page.locator('#sequence ol.calls li').filter({ has: page.locator('.edge', { hasText: edge }) });
/** The calls shown and why they failed, without the rest of the card: the course page's pictures. */
const screenshotCalls = (page: Page, name: string) =>
  page.locator('#sequence ol.calls').screenshot({ path: screenshotPath(name) });
const problemFor = (page: Page, edge: string) =>
  page.locator(`#diagram tr.problem[data-problem-for="${edge}"]`);

test.beforeEach(async ({ page, playground }) => {
  await openPage(page, playground);
  await expect(page.locator('#console-service option[value="notification"]')).toHaveCount(1);
});

test('wrong URL: GET /user/u1 names the route user has, GET /users/{user_id}', async ({
  page,
  playground,
}) => {
  await send(page, 'user', 'GET', '/user/u1');
  await expect(page.locator('#console output[name="status"]')).toHaveText('404 Not Found');
  // The 404 of a route user does not have, not its "User not found": an orders that reads any 404 as "no such
  // user" tells the customer so.
  await expect(page.locator('#console pre')).toContainText('"detail": "Not Found"');

  const call = calls(page, 'outside → user');
  await expect(call).toHaveCount(1);
  await expect(call.locator('.request')).toHaveText('GET /user/u1');
  const why = call.locator('.why');
  await expect(why).toHaveAttribute('data-kind', 'wrong_url');
  await expect(why.locator('.sentence')).toHaveText(
    'wrong URL A caller outside the town called GET /user/u1; user has GET /users/{user_id}.',
  );
  await expect(why.locator('.fix')).toHaveText(
    'Fix: Call GET /users/u1 instead: no route of user matches /user/u1 (all of them are at /svc/user/docs).',
  );
  await screenshotCalls(page, 'debug-wrong-url.png');

  // The same call as the learner's orders makes it: the edges table says why under orders → user.
  expect(await callAsOrders(`${playground.url}/svc/user/user/u1`)).toBe(404);
  await expect(problemFor(page, 'orders->user')).toHaveText(
    'orders called GET /user/u1; user has GET /users/{user_id}.',
  );
});

test('wrong payload shape: userId where notification wants user_id', async ({ page, playground }) => {
  const message = { userId: 'u1', message: 'Order 1 placed' };
  await send(page, 'notification', 'POST', '/send', JSON.stringify(message));
  await expect(page.locator('#console output[name="status"]')).toHaveText('422 Unprocessable Entity');
  await expect(page.locator('#console pre')).toContainText(
    /"loc": \[\s*"body",\s*"user_id"\s*\],\s*"msg": "Field required"/,
  );

  const why = calls(page, 'outside → notification').locator('.why');
  await expect(why).toHaveAttribute('data-kind', 'wrong_payload');
  await expect(why.locator('.sentence')).toHaveText(
    'wrong payload shape notification rejected POST /send (from outside the town) (422): userId is not one of its fields (did you mean user_id?).',
  );
  await expect(why.locator('.fix')).toHaveText(
    'Fix: Send what SendBody wants: user_id (string or integer, optional), message (string, optional), msg (string, optional) (see /svc/notification/docs).',
  );
  await expect(why.locator('table.fields tr')).toHaveText([
    'fieldsentexpected',
    'userId"u1"no such field: did you mean user_id?',
  ]);
  await screenshotCalls(page, 'debug-wrong-payload.png');

  const status = await callAsOrders(`${playground.url}/svc/notification/send`, {
    method: 'POST',
    body: JSON.stringify(message),
  });
  expect(status).toBe(422);
  await expect(problemFor(page, 'orders->notification')).toHaveText(
    "notification rejected orders' POST /send (422): userId is not one of its fields (did you mean user_id?).",
  );
});

test('timeout: a 2.5 s delay on orders → user outlasts orders’ 2 s timeout, and orders gives up', async ({
  page,
}) => {
  const card = page.locator('#faults');
  await card.getByLabel('on', { exact: true }).selectOption('edge');
  await card.getByLabel('from', { exact: true }).selectOption('orders');
  await card.getByLabel('to', { exact: true }).selectOption('user');
  await card.getByLabel('kind', { exact: true }).selectOption('delay');
  await card.getByLabel('delay (ms)', { exact: true }).fill('2500');
  await card.getByRole('button', { name: 'Set fault' }).click();
  await expect(card.locator('li.fault .what')).toHaveText('orders → user · delay 2500 ms');

  await placeOrder(page);
  await expect(page.locator('#console output[name="status"]')).toHaveText('503 Service Unavailable');
  await expect(page.locator('#console pre')).toContainText('"detail": "user unavailable"');
  // orders waited its whole timeout (a refused call fails in milliseconds), and no retry fitted in the time left.
  const ms = Number.parseFloat((await page.locator('#console output[name="time"]').textContent()) ?? '');
  expect(ms).toBeGreaterThanOrEqual(2000);

  const gaveUp = calls(page, 'orders → user');
  await expect(gaveUp).toHaveCount(1);
  await expect(gaveUp.locator('.status')).toHaveText('0');
  const why = gaveUp.locator('.why');
  await expect(why).toHaveAttribute('data-kind', 'caller_gave_up');
  // About 2 s as the playground timed it (the call reached it a moment after orders started its clock), and before
  // the delay's 2.5 s were up.
  const gaveUpAfter = String.raw`(1\.\d|2(\.[0-4])?) s`;
  await expect(why.locator('.sentence')).toHaveText(
    new RegExp(
      `^timeout: caller gave up orders gave up on GET /users/u1 after ${gaveUpAfter}, before user answered: the playground had the call delayed 2,500 ms by fault f\\d+, longer than orders waits\\.$`,
    ),
  );
  await expect(why.locator('.fix')).toHaveText(
    new RegExp(
      `^Fix: That is orders' timeout at work \\(${gaveUpAfter}\\): clear the fault or the slow switch, or make it shorter than that, and the call passes\\.$`,
    ),
  );
  await expect(calls(page, 'outside → orders').locator('.why .sentence')).toHaveText(
    'server error orders answered 503 to POST /orders (from outside the town): user unavailable. It had called user (GET /users/u1), which answered nothing.',
  );
  await screenshotCalls(page, 'debug-timeout.png');
});

// Runs last: orders' client may stop calling a peer that keeps failing for a moment (a circuit breaker), and the
// refused calls here are the most failures in a row of this file.
test('connection refused: user really stopped, then user switched off', async ({ page, running }) => {
  const userRow = page.locator('#services tr[data-service="user"]');

  // A real closed port: nothing listens where the playground looks for user.
  const userUrl = running.town.url('user');
  await running.town.stop('user');
  try {
    await expect(userRow).toHaveAttribute('data-health', 'down');
    await placeOrder(page);
    await expect(page.locator('#console output[name="status"]')).toHaveText('503 Service Unavailable');
    await expect(page.locator('#console pre')).toContainText('"detail": "user unavailable"');
    const refused = calls(page, 'orders → user').first().locator('.why');
    await expect(refused).toHaveAttribute('data-kind', 'connection_refused');
    await expect(refused.locator('.sentence')).toHaveText(
      `connection refused Nothing listens at ${userUrl}: user is down, or listens on another port. orders found user through USER_SERVICE_URL (the playground's /svc/user), and the playground tried ${userUrl}.`,
    );
    await expect(refused.locator('.fix')).toHaveText(
      `Fix: Start user (npm start starts the whole town; its log says why it stopped), or have it listen at ${userUrl}, where the playground looks for it.`,
    );
    await expect(calls(page, 'outside → orders').locator('.why .sentence')).toHaveText(
      'server error orders answered 503 to POST /orders (from outside the town): user unavailable. It had called user (GET /users/u1), which answered 503.',
    );
    await screenshotCalls(page, 'debug-connection-refused.png');
  } finally {
    await running.town.start('user');
  }
  await expect(userRow).toHaveAttribute('data-health', 'up');

  // The switch: the playground answers for user, without calling it.
  await page.getByRole('button', { name: 'user: down' }).click();
  await expect(userRow).toHaveAttribute('data-switch', 'down');
  await placeOrder(page);
  await expect(page.locator('#console output[name="status"]')).toHaveText('503 Service Unavailable');
  const switchedOff = calls(page, 'orders → user').first().locator('.why');
  await expect(switchedOff).toHaveAttribute('data-kind', 'connection_refused');
  await expect(switchedOff.locator('.sentence')).toHaveText(
    'connection refused user is switched off in the playground: the proxy answered 503 for it, without calling it.',
  );
  await expect(switchedOff.locator('.fix')).toHaveText(
    'Fix: Switch user back to normal in the Services card, or see how orders copes with it down.',
  );
});
