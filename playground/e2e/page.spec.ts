import type { Locator, Page } from '@playwright/test';
import { PAGE_DIR, type Playground, type ServiceTarget, startPlayground } from '../server/index.js';
import { type FakeService, startFakeService } from '../server/testing/fake-service.js';
import { expect, openPage, screenshotPath, test } from './fixtures.js';

const ORDERS_EDGES = ['orders->user', 'orders->inventory', 'orders->notification'];

const row = (page: Page, service: string) => page.locator(`#services tr[data-service="${service}"]`);
const edge = (page: Page, name: string) => page.locator(`#diagram tr[data-edge="${name}"]`);
const latest = (page: Page) => page.locator('#recent ol.calls li[data-id]');
const drawing = (page: Page) => page.locator('#diagram .mermaid-box svg');

/** A call through the playground's proxy, as a service (`caller`) or from outside; answers its status. */
async function call(playground: Playground, path: string, caller?: string): Promise<number> {
  const response = await fetch(`${playground.url}/svc${path}`, {
    headers: caller ? { 'x-caller': caller } : {},
  });
  await response.arrayBuffer();
  return response.status;
}

async function placeOrder(playground: Playground): Promise<{ id: string; trace_id: string }> {
  const response = await fetch(`${playground.url}/svc/orders/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'u1', item_id: 'item1', quantity: 1 }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; trace_id: string };
}

/** Waits until Mermaid has drawn this text (it renders asynchronously, the latest text last). */
async function drawn(page: Page, text: RegExp) {
  await expect(page.locator('#mermaid-text')).toHaveText(text);
  await expect(page.locator('#diagram .mermaid-box')).toHaveAttribute('data-drawn', 'true');
  await expect(drawing(page)).toBeVisible();
}

const box = async (locator: Locator) => {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`no box for ${locator}`);
  return found;
};

test('latest calls are filled from the record when the page opens', async ({ page, playground }) => {
  expect(await call(playground, '/user/users/u1')).toBe(200);
  expect(await call(playground, '/inventory/items?limit=1')).toBe(200);
  await page.goto(playground.url);
  await expect(latest(page).locator('.request')).toHaveText(['GET /items?limit=1', 'GET /users/u1']);
  await expect(latest(page).locator('.edge')).toHaveText(['outside → inventory', 'outside → user']);
  // A live call joins them, newest first, and the recorded ones are not listed twice.
  expect(await call(playground, '/user/users/u1')).toBe(200);
  await expect(latest(page).locator('.request')).toHaveText([
    'GET /users/u1',
    'GET /items?limit=1',
    'GET /users/u1',
  ]);
});

test('clear calls empties the latest calls, the sequence and the observed edges, on every open page', async ({
  page,
  context,
  playground,
}) => {
  const order = await placeOrder(playground);
  const other = await context.newPage();
  for (const p of [page, other]) {
    await p.goto(playground.url);
    await expect(p.locator('#live')).toHaveText('live');
    for (const name of ORDERS_EDGES) await expect(edge(p, name)).toHaveAttribute('data-state', 'seen');
  }
  await page.getByRole('button', { name: 'refresh orders' }).click();
  await page.getByLabel('order', { exact: true }).selectOption(order.id);
  await expect(page.locator('#sequence ol.calls li[data-callee]')).toHaveCount(4);
  await expect(latest(page)).toHaveCount(4);
  await expect(page.locator('#mermaid-text')).toContainText('outside_customer --> orders');

  await page.getByRole('button', { name: 'clear calls' }).click();
  for (const p of [page, other]) {
    await expect(latest(p)).toHaveCount(0);
    await expect(p.locator('#recent li.empty')).toBeVisible();
    for (const name of ORDERS_EDGES) await expect(edge(p, name)).toHaveAttribute('data-state', 'missing');
    // The customer is still drawn calling orders, but as not seen yet.
    await expect(p.locator('#mermaid-text')).toContainText('outside_customer -.-> orders');
  }
  await expect(page.locator('#sequence ol.calls li[data-callee]')).toHaveCount(0);
  expect(playground.recorder.calls()).toEqual([]);
  await other.close();
});

test('an edge failing while inventory is switched off turns green again once calls pass', async ({
  page,
  playground,
}) => {
  const amber = drawing(page).locator('path[style*="#d97706"]');
  await openPage(page, playground);
  await page.getByRole('button', { name: 'inventory: down' }).click();
  await expect(row(page, 'inventory').locator('.health')).toHaveText('switched off');
  // A real order while inventory is off: orders cannot reserve the stock and gives up, no order placed.
  const refused = await fetch(`${playground.url}/svc/orders/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'u1', item_id: 'item1', quantity: 1 }),
  });
  expect(refused.status).toBe(503);
  await expect(edge(page, 'orders->inventory')).toHaveAttribute('data-failing', 'true');
  await expect(edge(page, 'orders->inventory').locator('td').nth(1)).toHaveText(
    /^seen, \d+ of last \d+ failed$/,
  );
  await drawn(page, /orders -->\|"\d+ calls? · p50 [\d.]+ ms · \d+ of last \d+ failed"\| inventory/);
  await expect(amber).toHaveCount(1);

  await page.getByRole('button', { name: 'inventory: normal' }).click();
  await expect(row(page, 'inventory')).toHaveAttribute('data-switch', 'normal');
  // Ten good calls on the edge (its recent window), made as orders makes them but without using up the stock.
  for (let i = 0; i < 10; i++) expect(await call(playground, '/inventory/items/item1', 'orders')).toBe(200);
  await expect(edge(page, 'orders->inventory')).toHaveAttribute('data-failing', 'false');
  await expect(edge(page, 'orders->inventory')).toHaveAttribute('data-state', 'seen');
  await expect(edge(page, 'orders->inventory').locator('td').nth(1)).toHaveText('seen');
  // The totals still count the outage.
  await expect(edge(page, 'orders->inventory').locator('td').nth(3)).not.toHaveText('0');
  await drawn(page, /orders -->\|"\d+ calls · p50 [\d.]+ ms"\| inventory/);
  await expect(amber).toHaveCount(0);
  await expect(drawing(page).locator('path[style*="#15803d"]')).not.toHaveCount(0);
});

test('switching a service off moves nothing: the services table and the diagram keep their size', async ({
  page,
  playground,
}) => {
  await placeOrder(playground);
  await page.goto(playground.url);
  for (const name of ORDERS_EDGES) await expect(edge(page, name)).toHaveAttribute('data-state', 'seen');
  await expect(row(page, 'inventory').locator('.health')).toHaveText('up');
  await drawn(page, /class outside_customer,outside_messages outside\n$/);
  // The table is as wide as its card whatever it holds: its columns are what would jump.
  const parts = {
    table: page.locator('#services table'),
    ...Object.fromEntries(
      ['service', 'health', 'port', 'records', 'switch'].map((name, i) => [
        `${name} column`,
        page.locator('#services thead th').nth(i),
      ]),
    ),
    'diagram card': page.locator('#diagram'),
    diagram: drawing(page),
  };
  const measure = async () => {
    const boxes: Record<string, Box> = {};
    for (const [name, at] of Object.entries(parts)) boxes[name] = await box(at);
    return boxes;
  };
  const before = await measure();

  await page.getByRole('button', { name: 'inventory: down' }).click();
  await expect(row(page, 'inventory').locator('.health')).toHaveText('switched off');
  await drawn(page, /class inventory down/);
  await page.getByRole('button', { name: 'notification: slow' }).click();
  await expect(row(page, 'notification').locator('.health')).toHaveText('slow +1000 ms');
  await expect(row(page, 'notification')).toHaveAttribute('data-switch', 'slow');
  await drawn(page, /class notification slow/);
  await page.screenshot({ path: screenshotPath('switched-off.png'), fullPage: true });
  const after = await measure();
  for (const [name, was] of Object.entries(before)) {
    for (const side of ['x', 'y', 'width', 'height'] as const) {
      expect(
        Math.abs((after[name]?.[side] ?? Number.NaN) - was[side]),
        `${name} ${side}`,
      ).toBeLessThanOrEqual(1);
    }
  }
});

/** Eight services, as a bigger town would have: names and calls as the generators make them. */
const BIG_TOWN: Record<string, string[]> = {
  gateway: ['orders', 'catalog', 'user'],
  orders: ['user', 'inventory', 'payment', 'notification', 'shipping'],
  catalog: ['inventory'],
  user: [],
  inventory: [],
  payment: ['notification'],
  shipping: ['notification', 'inventory'],
  notification: ['user'],
};

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 &&
  Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1;

test.describe('a town of eight services', () => {
  let fakes: FakeService[] = [];
  let big: Playground;

  test.beforeAll(async () => {
    fakes = await Promise.all(Object.keys(BIG_TOWN).map((name) => startFakeService(name)));
    const services: ServiceTarget[] = fakes.map((f) => ({
      name: f.name,
      url: f.url,
      calls: BIG_TOWN[f.name],
    }));
    big = await startPlayground({ services, port: 0, page: PAGE_DIR, probeIntervalMs: 300 });
  });

  test.afterAll(async () => {
    await big?.close();
    await Promise.all(fakes.map((f) => f.close()));
  });

  test('its diagram stays readable: no edge label overlaps another label or a node', async ({ page }) => {
    // Every expected edge seen, one failing, one nobody expects, and the customer calling in.
    for (const [from, calls] of Object.entries(BIG_TOWN)) {
      for (const to of calls) expect(await call(big, `/${to}/x`, from)).toBe(200);
    }
    expect(await call(big, '/shipping/reset', 'orders')).toBe(502);
    expect(await call(big, '/gateway/x', 'user')).toBe(200);
    expect(await call(big, '/gateway/x')).toBe(200);
    await page.goto(big.url);
    await expect(page.locator('#services tbody tr')).toHaveCount(8);
    await expect(page.locator('#diagram tr[data-edge]')).toHaveCount(14);
    await drawn(page, /class outside_customer,outside_messages outside\n$/);
    await page.locator('#diagram').screenshot({ path: screenshotPath('eight-services.png') });
    // Readable also means not shrunk to fit the card: a drawing twice too wide has its text at half its size.
    const scale = await page.evaluate(
      `(() => { const svg = document.querySelector('#diagram .mermaid-box svg');
        return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; })()`,
    );
    expect(scale).toBeGreaterThanOrEqual(0.6);

    const boxes = async (selector: string) => {
      const found = [];
      for (const element of await page.locator(`#diagram .mermaid-box svg ${selector}`).all()) {
        const at = await element.boundingBox();
        if (at && at.width > 0 && at.height > 0)
          found.push({ text: (await element.textContent()) ?? '', ...at });
      }
      return found;
    };
    const labels = await boxes('g.edgeLabel');
    const nodes = await boxes('g.node');
    // 14 edges between services and notification's messages carry a label; the customer's arrows do not.
    expect(labels).toHaveLength(15);
    expect(nodes).toHaveLength(10);
    const clashes: string[] = [];
    labels.forEach((a, i) => {
      for (const b of labels.slice(i + 1)) if (overlap(a, b)) clashes.push(`"${a.text}" on "${b.text}"`);
      for (const n of nodes) if (overlap(a, n)) clashes.push(`"${a.text}" on node ${n.text}`);
    });
    expect(clashes).toEqual([]);
  });
});
