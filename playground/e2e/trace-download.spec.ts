import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '@microtown/kit/testing';
import { PAGE_DIR, readTown, serviceUrlVariable, startPlayground } from '../server/index.js';
import type { JaegerFile, OtlpTraceRequest } from '../server/otlp.js';
import { expect, openPage, placeOrder, test } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');

const HOPS = ['outside → orders', 'orders → user', 'orders → inventory', 'orders → notification'];

test("the sequence view downloads the order's trace as Jaeger JSON, and copies its calls as Mermaid", async ({
  page,
  playground,
}) => {
  await openPage(page, playground, { clipboard: true });
  const takeaway = page.locator('#sequence .trace-takeaway');
  await expect(takeaway).toBeHidden();
  await expect(page.locator('#sequence .trace-export')).toHaveText(
    'OpenTelemetry export: off. Start the town with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 to send every call to Jaeger.',
  );

  const order = await placeOrder(page);
  await expect(page.locator('#sequence .trace code')).toHaveText(order.trace_id);
  await expect(page.locator('#sequence ol.calls li .edge')).toHaveText(HOPS);
  await expect(takeaway).toBeVisible();

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: "Download this order's trace" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`trace-${order.trace_id}.jaeger.json`);
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as JaegerFile;
  const [trace] = file.data;
  if (!trace) throw new Error('the file holds no trace');
  expect(trace.traceID).toBe(order.trace_id);
  expect(Object.values(trace.processes).map((p) => p.serviceName)).toEqual([
    'orders',
    'user',
    'inventory',
    'notification',
  ]);
  const kind = (s: (typeof trace.spans)[number]) => s.tags.find((t) => t.key === 'span.kind')?.value;
  const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
  const servers = trace.spans.filter((s) => kind(s) === 'server');
  expect(servers.map((s) => [trace.processes[s.processID]?.serviceName, s.operationName])).toEqual([
    ['orders', 'POST /orders'],
    ['user', 'GET /users/u1'],
    ['inventory', 'POST /reservations'],
    ['notification', 'POST /send'],
  ]);
  const [root, ...hops] = servers;
  for (const hop of hops) {
    const [parent] = hop.references;
    const client = byId.get(parent?.spanID ?? '');
    expect(parent?.refType).toBe('CHILD_OF');
    expect(client && [trace.processes[client.processID]?.serviceName, kind(client)]).toEqual([
      'orders',
      'client',
    ]);
    expect(client?.references[0]?.spanID).toBe(root?.spanID);
  }
  expect(trace.spans.every((s) => Number.isInteger(s.startTime) && s.startTime > 1e15)).toBe(true);

  // The other format of the same trace: OTLP/JSON, a resource per service.
  const otlpLink = page.getByRole('link', { name: 'as OTLP JSON' });
  await expect(otlpLink).toHaveAttribute('href', `/api/traces/${order.trace_id}?format=otlp`);
  const otlp = (await (
    await page.request.get(`${playground.url}/api/traces/${order.trace_id}?format=otlp`)
  ).json()) as OtlpTraceRequest;
  expect(otlp.resourceSpans.map((r) => r.resource.attributes[0]?.value.stringValue)).toEqual([
    'orders',
    'user',
    'inventory',
    'notification',
  ]);

  const copy = page.locator('#sequence button[name="copy-mermaid"]');
  await expect(copy).toHaveText('Copy as Mermaid');
  await copy.click();
  await expect(copy).toHaveText('copied');
  const text = String(await page.evaluate('navigator.clipboard.readText()'));
  const lines = text.trimEnd().split('\n');
  expect(lines.slice(0, 6)).toEqual([
    'sequenceDiagram',
    '    participant outside',
    '    participant orders',
    '    participant user',
    '    participant inventory',
    '    participant notification',
  ]);
  const steps = lines.slice(6).map((line) => line.trim());
  // Whether notification's call starts before orders' answer is through the proxy is a race; the rest is fixed.
  expect([...steps].sort()).toEqual(
    [
      'outside->>orders: POST /orders',
      'orders->>user: GET /users/u1',
      'user-->>orders: 200',
      'orders->>inventory: POST /reservations',
      'inventory-->>orders: 201',
      'orders-->>outside: 201',
      'orders->>notification: POST /send',
      'notification-->>orders: 201',
    ].sort(),
  );
  expect(steps.slice(0, 5)).toEqual([
    'outside->>orders: POST /orders',
    'orders->>user: GET /users/u1',
    'user-->>orders: 200',
    'orders->>inventory: POST /reservations',
    'inventory-->>orders: 201',
  ]);
  expect(steps.indexOf('orders->>notification: POST /send')).toBeLessThan(
    steps.indexOf('notification-->>orders: 201'),
  );
});

test('with the export on and its receiver down, the page counts the failed exports, and orders go through', async ({
  page,
  running,
}) => {
  const direct = Object.fromEntries(
    [...running.town.services.keys()].map((name) => [serviceUrlVariable(name), running.town.url(name)]),
  );
  const nobody = `http://127.0.0.1:${await freePort()}/v1/traces`;
  // A second playground in front of the same town: the console's calls come to it, and it exports them.
  const exporting = await startPlayground({
    port: 0,
    page: PAGE_DIR,
    services: await readTown(ROOT, { ...direct, TOWN_DATA_DIR: running.town.dir }),
    otlp: { url: nobody, intervalMs: 50 },
  });
  try {
    await page.goto(exporting.url);
    await expect(page.locator('#live')).toHaveText('live');
    await expect(page.locator('#console-service option[value="orders"]')).toHaveCount(1);
    await placeOrder(page);
    const line = page.locator('#sequence .trace-export');
    await expect(line).toHaveAttribute('data-failed', 'true');
    await expect(line).toContainText(`OpenTelemetry export to ${nobody}: 0 spans sent; `);
    await expect(line).toContainText(/\d+ exports? failed, \d+ spans? lost \(last: connect ECONNREFUSED/);
    await placeOrder(page);
  } finally {
    await exporting.close();
  }
});
