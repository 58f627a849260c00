import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Child, eventually, freePort, spawnChild } from '@microtown/kit/testing';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTown, serviceUrlVariable } from '../../playground/server/index.js';
import { startTown, type Town } from '../town/town.js';
import { holdConnections } from './connections.js';
import { slowUpload } from './slow-upload.js';

/**
 * The town and its playground as real processes on 127.0.0.1, under load and abuse: many connections at once,
 * many orders at once, slow uploads, made-up callers. What is checked is that every call is answered (or refused
 * with FastAPI's 503) and nothing crashes, never how fast. `npm test` runs it small; `LOAD=full` at full size.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const FULL = process.env.LOAD === 'full';
const SIZE = FULL
  ? { connections: 5000, seconds: 10, orders: 1000, stock: 400, uploads: 300, spoofs: 256 }
  : { connections: 1000, seconds: 3, orders: 200, stock: 80, uploads: 300, spoofs: 256 };
/** Short, so that the slow uploads end within the run: they are answered 408 after it. */
const BODY_TIMEOUT_MS = 4000;
/** How long a caller of the town waits for an answer (the kit client's timeout): the bound for "still answered". */
const CALLER_WAITS_MS = 2000;

let town: Town;
let playground: Child;
let base = '';
const figures: Record<string, unknown> = {};

/** One request on a connection of its own: the status (0 when none came) and the body. */
function send(
  path: string,
  { method = 'GET', body, headers = {}, timeoutMs = 30_000, to = base } = {} as {
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
    to?: string;
  },
): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const { hostname, port } = new URL(to);
  return new Promise((resolve) => {
    const req = request(
      {
        host: hostname,
        port,
        method,
        path,
        agent: false,
        timeout: timeoutMs,
        headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - started }));
        res.on('error', () => resolve({ status: 0, text, ms: performance.now() - started }));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', (error) => resolve({ status: 0, text: error.message, ms: performance.now() - started }));
    req.end(payload);
  });
}

/** FastAPI's error shape: a JSON object whose `detail` is a string or a list. */
const fastApiShaped = (text: string) => {
  try {
    const { detail } = JSON.parse(text);
    return typeof detail === 'string' || Array.isArray(detail);
  } catch {
    return false;
  }
};

const json = async (path: string, options?: Parameters<typeof send>[1]) =>
  JSON.parse((await send(path, options)).text);

/** The processes of the run that have exited: none should. */
const crashed = () =>
  [['playground', playground] as const, ...[...town.services.values()].map((s) => [s.name, s.child] as const)]
    .filter(([, child]) => child.process.exitCode !== null || child.process.signalCode !== null)
    .map(([name]) => name);

let asked = 0;
/** What the playground says of its connections: open now, the most open at once since it was last asked. */
async function playgroundFigures(): Promise<{ open: number; peak: number; rss_mb: number }> {
  const n = ++asked;
  playground.process.kill('SIGUSR2');
  const [, found] = await playground.waitFor(new RegExp(`figures#${n} (\\{.*\\})`), 10_000);
  return JSON.parse(found ?? '{}');
}

/** The file descriptors one process may open: each connection takes one, in the load and in the playground. */
const openFilesLimit = () => Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim());

async function newItem(stock: number): Promise<string> {
  const item = await json('/items', {
    method: 'POST',
    body: { name: 'load test', stock },
    to: town.url('inventory'),
  });
  return item.id;
}

const available = async (item: string) =>
  (await json(`/stock/${item}`, { to: town.url('inventory') })).available as number;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const names = (await readTown(ROOT)).map((s) => s.name);
  // As `npm start` runs them: every service reaches the others through the playground.
  const through = Object.fromEntries(names.map((name) => [serviceUrlVariable(name), `${base}/svc/${name}`]));
  town = await startTown({ env: through });
  const direct = Object.fromEntries(names.map((name) => [serviceUrlVariable(name), town.url(name)]));
  playground = spawnChild(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'playground.ts')], {
    cwd: ROOT,
    env: {
      ...direct,
      PORT: String(port),
      TOWN_DATA_DIR: town.dir,
      PLAYGROUND_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
      LOG_LEVEL: 'warn',
    },
  });
  await playground.waitFor(/playground listening on/, 30_000);
  // Orders checks inventory through the playground as it starts: over before the load begins.
  await eventually(
    async () => (await send('/svc/orders/health')).status === 200,
    'orders through the playground',
    {
      timeoutMs: 20_000,
    },
  );
}, 120_000);

afterAll(async () => {
  console.log(`load figures (${FULL ? 'LOAD=full' : 'small; LOAD=full for the full size'}):`);
  for (const [name, value] of Object.entries(figures)) console.log(`  ${name}: ${JSON.stringify(value)}`);
  await playground?.stop();
  await town?.close();
});

describe('the playground under load and abuse', () => {
  it(`holds ${SIZE.connections} connections at once to one service, and answers or refuses each with 503`, async () => {
    const limit = openFilesLimit();
    // Room for the test's own files beside the connections; the playground holds as many, in its own process.
    const connections = Math.min(SIZE.connections, limit - 1024);
    figures['open files limit (ulimit -n)'] = limit;

    // Every connection open first (and accepted, as far as the playground's listen backlog lets it), then one
    // request on each, all at once.
    const held = await holdConnections(base, connections);
    let open = 0;
    for (let still = 0, deadline = Date.now() + 30_000; still < 4 && Date.now() < deadline; ) {
      await sleep(500);
      const now = (await playgroundFigures()).open;
      still = now > open ? 0 : still + 1;
      open = Math.max(open, now);
      if (open >= connections) break;
    }
    const answers = await held.ask('/svc/user/users/u1');
    held.close();
    const statuses: Record<number, number> = {};
    for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
    const bad = answers.filter((a) => a.status !== 200 && !(a.status === 503 && fastApiShaped(a.body)));
    const peak = (await playgroundFigures()).peak;
    figures[`${connections} connections, one request each at once`] = {
      'connections held at once': Math.max(open, peak),
      'failed to connect': held.failed,
      statuses,
    };
    expect(crashed()).toEqual([]);
    expect(held.failed).toBe(0);
    expect(statuses[0]).toBeUndefined();
    expect(bad.slice(0, 5)).toEqual([]);

    // Then as many connections asking again as soon as they are answered, for a while.
    const badAnswers: string[] = [];
    const result = await autocannon({
      url: `${base}/svc/user/users/u1`,
      connections,
      duration: SIZE.seconds,
      timeout: 30,
      requests: [
        {
          onResponse: (status: number, body: string) => {
            if (status !== 200 && !(status === 503 && fastApiShaped(body)))
              badAnswers.push(`${status} ${body}`);
          },
        },
      ],
    });
    const after = await playgroundFigures();
    figures[`${connections} connections asking for ${SIZE.seconds} s (autocannon)`] = {
      'connections held at once': after.peak,
      answered: result.requests.total,
      statuses: Object.fromEntries(
        Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
      ),
      '5xx': result['5xx'],
      'no answer (errors, timeouts)': [result.errors, result.timeouts],
      'playground rss MB': after.rss_mb,
    };
    expect(crashed()).toEqual([]);
    expect(badAnswers.slice(0, 5)).toEqual([]);
    expect(result['2xx']).toBeGreaterThan(0);
    expect((await send('/svc/user/users/u1')).status).toBe(200);
  }, 180_000);

  it(`takes ${SIZE.orders} orders at once, through the playground, and never sells stock twice`, async () => {
    const item = await newItem(SIZE.stock);
    const orders = await Promise.all(
      Array.from({ length: SIZE.orders }, (_, i) =>
        send('/svc/orders/orders', {
          method: 'POST',
          body: { user_id: 'u1', item_id: item },
          headers: { 'idempotency-key': `load-${item}-${i}` },
        }),
      ),
    );
    const statuses: Record<number, number> = {};
    for (const { status } of orders) statuses[status] = (statuses[status] ?? 0) + 1;
    const unshaped = orders.filter((o) => o.status !== 201 && !fastApiShaped(o.text));
    // An order orders gave up on may still hold its stock a moment: its outbox gives it back.
    const confirmed = async () =>
      (await json(`/orders?status=confirmed&limit=1`, { to: town.url('orders') })).count as number;
    let placed = 0;
    let left = 0;
    const settled = async () => {
      placed = await confirmed();
      left = await available(item);
      return placed + left === SIZE.stock;
    };
    await eventually(settled, 'the stock to match the orders confirmed', {
      timeoutMs: 60_000,
      everyMs: 500,
    }).catch(() => undefined);
    const refusals: Record<string, number> = {};
    for (const { status, text } of orders.filter((o) => o.status >= 500)) {
      const why = `${status} ${fastApiShaped(text) ? String(JSON.parse(text).detail).replace(/\d+/g, 'N') : text}`;
      refusals[why] = (refusals[why] ?? 0) + 1;
    }
    figures[`${SIZE.orders} orders at once for ${SIZE.stock} in stock`] = {
      statuses,
      refusals,
      'confirmed in orders': placed,
      'stock left': left,
      'confirmed + left': placed + left,
    };
    expect(crashed()).toEqual([]);
    expect(unshaped.slice(0, 5).map((o) => `${o.status} ${o.text}`)).toEqual([]);
    // Confirmed, out of stock, or refused: orders' own 503 (a peer too slow for it), the playground's 503 (busy) or
    // 504 (orders itself too slow), each with its detail.
    expect(Object.keys(statuses).every((s) => ['201', '409', '503', '504'].includes(s))).toBe(true);
    expect(statuses[201] ?? 0).toBeLessThanOrEqual(placed);
    expect(placed + left).toBe(SIZE.stock);
  }, 180_000);

  it(`answers a service's other callers while ${SIZE.uploads} slow uploads to it go on, then ends them with 408`, async () => {
    // A byte every 500 ms of a 100-byte body: each would take 50 s, and so hold a connection to user that long.
    const uploads = Array.from({ length: SIZE.uploads }, () => slowUpload(base, '/svc/user/users', 100, 500));
    try {
      await sleep(500);
      const item = await newItem(100);
      const gets: number[] = [];
      const ordered: number[] = [];
      const until = Date.now() + BODY_TIMEOUT_MS - 1500;
      while (Date.now() < until) {
        const [get, order] = await Promise.all([
          send('/svc/user/users/u1', { timeoutMs: CALLER_WAITS_MS }),
          send('/svc/orders/orders', { method: 'POST', body: { user_id: 'u1', item_id: item } }),
        ]);
        gets.push(get.status === 200 ? get.ms : Number.POSITIVE_INFINITY);
        ordered.push(order.status);
        await sleep(100);
      }
      const underWay = uploads.filter((u) => !u.settled()).length;
      const answers = await Promise.all(
        uploads.map((u) => Promise.race([u.done, sleep(10_000).then(() => undefined)])),
      );
      const timedOut = answers.filter((a) => a?.status === 408 && fastApiShaped(a.body)).length;
      figures[`${SIZE.uploads} slow uploads to user`] = {
        'still under way while the others were answered': underWay,
        'answered 408 at the body timeout': timedOut,
        'GET /users/u1 answered': gets.filter(Number.isFinite).length,
        of: gets.length,
        'slowest ms': Math.round(Math.max(...gets)),
        'orders placed meanwhile (201)': ordered.filter((s) => s === 201).length,
        'of orders': ordered.length,
      };
      expect(crashed()).toEqual([]);
      expect(underWay).toBe(SIZE.uploads);
      expect(gets.every(Number.isFinite)).toBe(true);
      expect(ordered.every((s) => s === 201)).toBe(true);
      expect(timedOut).toBe(SIZE.uploads);
    } finally {
      for (const upload of uploads) upload.stop();
    }
  }, 60_000);

  it(`keeps the real edges in the graph after ${SIZE.spoofs} made-up x-callers`, async () => {
    await send('/api/calls', { method: 'DELETE' });
    for (let i = 0; i < SIZE.spoofs; i += 64) {
      await Promise.all(
        Array.from({ length: Math.min(64, SIZE.spoofs - i) }, (_, j) =>
          send('/svc/user/users/u1', { headers: { 'x-caller': `spoof-${i + j}` } }),
        ),
      );
    }
    const item = await newItem(5);
    const order = await send('/svc/orders/orders', {
      method: 'POST',
      body: { user_id: 'u1', item_id: item },
    });
    const { observed } = await json('/api/graph');
    const edges = (observed as { from: string; to: string }[]).map((e) => `${e.from} -> ${e.to}`);
    const { data } = await json(`/api/calls?callee=user&limit=${SIZE.spoofs + 10}`);
    figures[`${SIZE.spoofs} made-up x-callers`] = {
      'edges observed': edges.length,
      'of them from a made-up caller': edges.filter((e) => e.startsWith('spoof-')).length,
      'real edges': edges.filter((e) => !e.startsWith('spoof-')),
      'calls to user recorded from outside': (data as { caller: string | null }[]).filter(
        (c) => c.caller === null,
      ).length,
    };
    expect(order.status).toBe(201);
    expect(edges).toEqual(expect.arrayContaining(['orders -> user', 'orders -> inventory']));
    expect(edges.filter((e) => e.startsWith('spoof-'))).toEqual([]);
  }, 60_000);

  it('leaves every process running and the playground answering', async () => {
    figures.crashes = crashed().length;
    expect(crashed()).toEqual([]);
    expect((await send('/svc/user/health')).status).toBe(200);
    expect((await send('/api/graph')).status).toBe(200);
  });
});
