import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compare, type TargetSpec } from '../measure.js';
import type { Server } from '../spawn.js';
import { startBenchTown, startChapterFastAPI } from '../town.js';
import { BenchError, type Context, type Row, type Suite } from '../types.js';

const PEER_DIR = join(import.meta.dirname, '..', '..', 'peers', 'chapter-fastapi');
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

/** Can this Python run the chapter's services? */
function pythonHasFastAPI(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import fastapi, uvicorn, requests'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const PATH = '/order?user_id=u1&item_id=item1';

/** Our town, its item1 restocked to last the whole run, so that every order succeeds as the chapter's do. */
async function startOurTown(ctx: Context, run: number): Promise<Server> {
  const dir = join(ctx.tmp, `town-${run}`);
  await mkdir(dir, { recursive: true });
  const server = await startBenchTown(dir, 'orders');
  const restocked = await fetch(`${server.urls.get('inventory')}/items/item1`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stock: 1_000_000_000 }),
  });
  if (restocked.status !== 200) {
    await server.stop();
    throw new BenchError(`inventory: PATCH /items/item1 answered ${restocked.status}`);
  }
  return server;
}

/** The orders flow must succeed on both sides, or the comparison means nothing. */
async function placesOrders(server: Server, path: string) {
  const response = await fetch(server.url + path, { method: 'POST' });
  const body = (await response.json().catch(() => undefined)) as
    | { message?: string; status?: string }
    | undefined;
  if (!response.ok || body?.message !== 'Order successful') {
    throw new BenchError(`${server.name}: POST ${path} answered ${response.status} ${JSON.stringify(body)}`);
  }
}

export const orders: Suite = {
  name: 'orders',
  title:
    "the orders flow, POST /order?user_id=u1&item_id=...: our town (user check + reservation + stored order + outbox) vs the chapter's FastAPI services (3 calls with requests)",
  async run(ctx) {
    let peer: (() => Promise<Server>) | undefined;
    let missing = '';
    if (ctx.fastapiOrders) {
      const url = ctx.fastapiOrders.replace(/\/+$/, '');
      peer = async () => ({ name: 'chapter FastAPI', url, stop: async () => {} });
    } else if (pythonHasFastAPI() && existsSync(PEER_DIR)) {
      peer = () => startChapterFastAPI(PEER_DIR, PYTHON);
    } else {
      missing = `chapter FastAPI not measured: ${PYTHON} lacks fastapi/uvicorn/requests (apt-get install -y python3-fastapi python3-uvicorn python3-requests), or pass --fastapi-orders <url>`;
      ctx.log(`  ${missing}`);
    }

    let run = 0;
    /** Each measurement starts its own servers: the unloaded figure is not taken on a town full of orders. */
    const targets = (): TargetSpec[] => [
      {
        label: 'our town',
        start: async () => {
          const town = await startOurTown(ctx, run++);
          await placesOrders(town, PATH);
          return town;
        },
        path: PATH,
        method: 'POST',
      },
      ...(peer
        ? [
            {
              label: 'chapter FastAPI',
              start: async () => {
                const server = await (peer as () => Promise<Server>)();
                await placesOrders(server, PATH).catch(async (error) => {
                  await server.stop();
                  throw error;
                });
                return server;
              },
              path: PATH,
              method: 'POST' as const,
            },
          ]
        : []),
    ];

    const loaded = await compare(ctx, targets());
    ctx.log('  unloaded: one connection, one order at a time');
    const unloaded = await compare({ ...ctx, connections: 1 }, targets());
    const [ours, theirs] = loaded;
    const [oursQuiet, theirsQuiet] = unloaded;
    if (!ours || !oursQuiet) throw new BenchError('our town was not measured');

    const rate = (label: string, value: number) => ({ label, value, unit: 'orders/s' });
    const ms = (label: string, value: number) => ({ label, value, unit: 'ms' });
    const rows: Row[] = [
      theirs
        ? {
            name: `orders flow at ${ctx.connections} connections: town vs chapter FastAPI`,
            measured: rate('town', ours.rps),
            baseline: rate('chapter FastAPI', theirs.rps),
            target: { on: 'ratio', op: '>=', value: 4 },
          }
        : {
            name: `orders flow at ${ctx.connections} connections (${missing})`,
            measured: rate('town', ours.rps),
          },
      {
        name: 'orders flow unloaded p50 (1 connection)',
        measured: ms('town', oursQuiet.p50),
        // Faster than the chapter's, one request at a time, doing more: judged only beside FastAPI in the same run.
        ...(theirsQuiet
          ? {
              baseline: ms('chapter FastAPI', theirsQuiet.p50),
              target: { on: 'ratio', op: '<=', value: 0.8 },
            }
          : {}),
      },
    ];
    const note =
      'every order: GET user, POST reservation, stored order + outbox (2 durable writes, overlapped)';
    return {
      rows,
      measurements: [
        { ...ours, label: `town, ${ctx.connections} connections`, unit: 'orders/s', note },
        { ...oursQuiet, label: 'town, 1 connection', unit: 'orders/s' },
        ...(theirs
          ? [
              {
                ...theirs,
                label: `chapter FastAPI, ${ctx.connections} connections`,
                unit: 'orders/s',
                note: 'stock never reduced, notification answers 422 (ignored)',
              },
            ]
          : []),
        ...(theirsQuiet
          ? [{ ...theirsQuiet, label: 'chapter FastAPI, 1 connection', unit: 'orders/s' }]
          : []),
      ],
    };
  },
};
