import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { HTTPException } from './errors.js';
import type { Logger } from './logger.js';
import { createOutbox, type Outbox, type OutboxHandlers, type OutboxOptions } from './outbox.js';
import { closeServer, serve } from './serve.js';
import { openStore, type Store } from './store.js';
import { readStoreState } from './store-load.js';

type Mail = { kind: 'mail'; id: string; text: string; trace_id?: string };
type Refund = { kind: 'refund'; id: string; amount: number };
interface ShopData {
  outbox: (Mail | Refund)[];
  /** What the mail handler marks once the mail service took a message. */
  mailed: string[];
}

let dir: string;
const cleanups: (() => Promise<unknown>)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'microtown-outbox-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

const openShop = async (file = join(dir, 'shop.json')) => {
  const store = await openStore<ShopData>(file, { outbox: [], mailed: [] });
  cleanups.push(() => store.close());
  return store;
};
/** What a restart would read: the data file with its journal replayed. */
const onDisk = async <T extends object>(store: Store<T>): Promise<T> =>
  (await readStoreState(store.file)).data as T;
const mail = (n: number, extra: Partial<Mail> = {}): Mail => ({
  kind: 'mail',
  id: `mail-${n}`,
  text: `hi ${n}`,
  ...extra,
});

/** Another service over real HTTP: it records each call, answers 503 while `down`, and takes each key once. */
async function startPeer(name: string) {
  const calls: { path?: string; key?: string; traceparent?: string }[] = [];
  const accepted = new Map<string, unknown>();
  const peer = { down: false, calls, accepted };
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const key = req.headers['idempotency-key'] as string | undefined;
    calls.push({ path: req.url, key, traceparent: req.headers.traceparent as string | undefined });
    const status = peer.down ? 503 : 201;
    if (!peer.down && key && !accepted.has(key)) accepted.set(key, JSON.parse(body));
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  };
  const { server, url } = await serve(handler, 0);
  const client = createClient({ service: name, baseUrl: url, caller: 'shop', retries: 0 });
  cleanups.push(
    () => closeServer(server),
    () => client.close(),
  );
  return Object.assign(peer, { url, client });
}

/** The shop's handlers: mail goes to the mail service, refunds to the bank, both keyed by the entry's id. */
function shopHandlers(
  mailer: Awaited<ReturnType<typeof startPeer>>,
  bank: Awaited<ReturnType<typeof startPeer>>,
): OutboxHandlers<ShopData, Mail | Refund> {
  return {
    mail: {
      target: 'mail',
      async deliver(entry) {
        const answer = await mailer.client.post('/send', {
          body: { text: entry.text },
          idempotencyKey: entry.id,
        });
        if (answer.status >= 500) return 'retry';
        return (data) => data.mailed.push(entry.id);
      },
    },
    refund: {
      target: 'bank',
      async deliver(entry) {
        const answer = await bank.client.post('/refunds', {
          body: { amount: entry.amount },
          idempotencyKey: entry.id,
        });
        return answer.status >= 500 ? 'retry' : 'delivered';
      },
    },
  };
}

function startOutbox<
  T extends { outbox: { kind: string; id: string }[] },
  R extends { kind: string; id: string } = never,
>(...args: Parameters<typeof createOutbox<T, R>>): Outbox {
  const outbox = createOutbox<T, R>(...args);
  cleanups.push(() => outbox.stop());
  outbox.start();
  return outbox;
}

async function eventually(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createOutbox, on a real store and real HTTP', () => {
  it("delivers each entry, then drops it and saves the handler's change in the same write", async () => {
    const store = await openShop();
    const mailer = await startPeer('mail');
    const outbox = startOutbox(store, shopHandlers(mailer, await startPeer('bank')));
    await store.update((data) => data.outbox.push(mail(1), mail(2)));
    outbox.deliverSoon();

    await eventually(() => store.data.outbox.length === 0, 'outbox empty');
    expect(store.data.mailed.sort()).toEqual(['mail-1', 'mail-2']);
    expect([...mailer.accepted]).toEqual(
      expect.arrayContaining([
        ['mail-1', { text: 'hi 1' }],
        ['mail-2', { text: 'hi 2' }],
      ]),
    );
    await store.write();
    expect(await onDisk(store)).toEqual({ outbox: [], mailed: store.data.mailed });
  });

  it('keeps entries on disk while their target is down, stops asking it in a pass that found it down, and delivers each once when it is back', async () => {
    const store = await openShop();
    const mailer = await startPeer('mail');
    mailer.down = true;
    const outbox = startOutbox(store, shopHandlers(mailer, await startPeer('bank')), {
      firstRetryMs: 20,
      concurrency: 2,
    });
    const ids = ['mail-1', 'mail-2', 'mail-3', 'mail-4', 'mail-5'];
    await store.update((data) => data.outbox.push(...ids.map((_, n) => mail(n + 1))));
    outbox.deliverSoon();

    await eventually(() => mailer.calls.length >= 6, 'three passes');
    // Each pass sent two at once, then saw the 503s: the other three were not sent to a service known to be down.
    expect(new Set(mailer.calls.map((c) => c.key))).toEqual(new Set(['mail-1', 'mail-2']));
    expect((await onDisk(store)).outbox.map((e) => e.id)).toEqual(ids);

    const before = mailer.calls.length;
    mailer.down = false;
    await eventually(() => store.data.outbox.length === 0, 'delivered once back');
    expect(
      mailer.calls
        .slice(before)
        .map((c) => c.key)
        .sort(),
    ).toEqual(ids);
    expect([...mailer.accepted.keys()].sort()).toEqual(ids);
  });

  it('does not let a target that is down hold up another', async () => {
    const store = await openShop();
    const mailer = await startPeer('mail');
    const bank = await startPeer('bank');
    mailer.down = true;
    const outbox = startOutbox(store, shopHandlers(mailer, bank), { firstRetryMs: 20 });
    await store.update((data) => data.outbox.push(mail(1), { kind: 'refund', id: 'refund-1', amount: 5 }));
    outbox.deliverSoon();

    await eventually(() => bank.accepted.has('refund-1'), 'refund delivered');
    await eventually(() => store.data.outbox.length === 1, 'refund dropped');
    expect(store.data.outbox).toEqual([mail(1)]);
  });

  it('runs each delivery in the trace of the request that queued it', async () => {
    const store = await openShop();
    const mailer = await startPeer('mail');
    const outbox = startOutbox(store, shopHandlers(mailer, await startPeer('bank')));
    const trace_id = '0af7651916cd43dd8448eb211c80319c';
    await store.update((data) => data.outbox.push(mail(1, { trace_id })));
    outbox.deliverSoon();

    await eventually(() => mailer.calls.length === 1, 'sent');
    expect(mailer.calls[0]?.traceparent).toMatch(new RegExp(`^00-${trace_id}-[0-9a-f]{16}-01$`));
  });

  it('delivers again, with the same key, an entry whose removal a crash lost: the key makes it harmless', async () => {
    const store = await openShop();
    const mailer = await startPeer('mail');
    const bank = await startPeer('bank');
    await store.update((data) => data.outbox.push(mail(1)));
    // The files as a kill -9 would leave them right after the delivery: the removal waits for the next write.
    const crashed = join(dir, 'crashed.json');
    await copyFile(store.file, crashed);
    await copyFile(`${store.file}.journal`, `${crashed}.journal`);
    startOutbox(store, shopHandlers(mailer, bank));
    await eventually(() => store.data.outbox.length === 0, 'delivered');

    const restarted = await openShop(crashed);
    startOutbox(restarted, shopHandlers(mailer, bank));
    await eventually(() => restarted.data.outbox.length === 0, 'delivered after the restart');
    expect(mailer.calls.map((c) => c.key)).toEqual(['mail-1', 'mail-1']);
    expect([...mailer.accepted.keys()]).toEqual(['mail-1']);
  });
});

/** An outbox whose one kind of entry is handled by `deliver`, with `entries` already in its file. */
async function withHandler(
  deliver: (entry: Mail) => Promise<'retry' | 'delivered'>,
  entries: Mail[],
  options: OutboxOptions<{ outbox: Mail[] }, never> = {},
) {
  const store = await openStore<{ outbox: Mail[] }>(join(dir, 'box.json'), { outbox: entries });
  cleanups.push(() => store.close());
  const outbox = startOutbox(store, { mail: { target: 'mail', deliver } }, options);
  return { store, outbox };
}

/** The time between one attempt and the next. */
const gapsOf = (times: number[] = []) => times.slice(1).map((t, i) => t - (times[i] as number));

/** A handler that refuses each entry `refusals[id]` times, then delivers it; `at[id]` holds when it was tried. */
function refusing(refusals: Record<string, number>) {
  const at: Record<string, number[]> = {};
  const deliver = async (entry: Mail) => {
    at[entry.id] ??= [];
    const times = at[entry.id] as number[];
    times.push(performance.now());
    return times.length > (refusals[entry.id] ?? 0) ? ('delivered' as const) : ('retry' as const);
  };
  return { at, deliver };
}

describe('retries', () => {
  it('waits 100 ms after a refusal, then twice as long', async () => {
    const handler = refusing({ 'mail-1': 2 });
    const { store } = await withHandler(handler.deliver, [mail(1)]);
    await eventually(() => store.data.outbox.length === 0, 'delivered on the third try');
    const [first = 0, second = 0] = gapsOf(handler.at['mail-1']);
    expect(first).toBeGreaterThanOrEqual(99);
    expect(second).toBeGreaterThanOrEqual(199);
  });

  it('doubles the wait up to maxRetryMs, and starts from firstRetryMs again after a pass that delivered', async () => {
    const handler = refusing({ 'mail-1': 5, 'mail-2': 1 });
    const { store, outbox } = await withHandler(handler.deliver, [mail(1)], {
      firstRetryMs: 25,
      maxRetryMs: 100,
    });
    await eventually(() => store.data.outbox.length === 0, 'delivered on the sixth try');
    const gaps = gapsOf(handler.at['mail-1']);
    expect(gaps.slice(0, 3).map((gap, i) => gap >= 25 * 2 ** i - 1)).toEqual([true, true, true]);
    expect(Math.max(...gaps.slice(3))).toBeLessThan(200); // capped at 100, not 200 and 400

    await store.update((data) => data.outbox.push(mail(2)));
    outbox.deliverSoon();
    await eventually(() => store.data.outbox.length === 0, 'delivered on the second try');
    expect(gapsOf(handler.at['mail-2'])[0]).toBeLessThan(100); // 25 again, not the 100 reached before
  });

  it('retries a handler that throws, logging what is not a plain 503', async () => {
    const logged: unknown[] = [];
    const logger = { error: (fields: unknown) => logged.push(fields) } as unknown as Logger;
    let n = 0;
    const deliver = async () => {
      n++;
      if (n === 1) throw new HTTPException(503, 'mail unavailable');
      if (n === 2) throw new Error('bug in the handler');
      return 'delivered' as const;
    };
    const { store } = await withHandler(deliver, [mail(1)], { firstRetryMs: 10, logger });
    await eventually(() => store.data.outbox.length === 0, 'delivered on the third try');
    expect(logged).toEqual([{ err: new Error('bug in the handler'), entry: mail(1) }]);
  });

  it('leaves an entry of a kind it has no handler for in the file, and says so', async () => {
    const logged: string[] = [];
    const logger = { error: (_: unknown, message: string) => logged.push(message) } as unknown as Logger;
    const stray = { kind: 'fax', id: 'fax-1', text: '' } as unknown as Mail;
    const { store } = await withHandler(async () => 'delivered', [stray, mail(1)], { logger });
    await eventually(() => store.data.outbox.length === 1, 'mail delivered');
    expect(store.data.outbox).toEqual([stray]);
    expect(logged).toEqual(['outbox: no handler for kind "fax"; the entry stays']);
  });
});

describe('passes', () => {
  it.each([
    [undefined, 8],
    [3, 3],
  ])('with concurrency %s, has at most %i deliveries under way', async (concurrency, most) => {
    let underWay = 0;
    let peak = 0;
    const deliver = async () => {
      peak = Math.max(peak, ++underWay);
      await sleep(5);
      underWay--;
      return 'delivered' as const;
    };
    const entries = Array.from({ length: 20 }, (_, n) => mail(n));
    const { store } = await withHandler(deliver, entries, concurrency ? { concurrency } : {});
    await eventually(() => store.data.outbox.length === 0, 'all delivered');
    expect(peak).toBe(most);
  });

  it('delivers recovered work first, keeps it out of the file, and delivers what a handler queued right after', async () => {
    type Data = { outbox: Mail[]; orders: { id: string; status: 'placing' | 'confirmed' }[] };
    type Check = { kind: 'check'; id: string; order_id: string };
    const store = await openStore<Data>(join(dir, 'orders.json'), {
      outbox: [mail(1)],
      orders: [
        { id: 'a', status: 'placing' },
        { id: 'b', status: 'confirmed' },
      ],
    });
    cleanups.push(() => store.close());
    const seen: string[] = [];
    let checkRefusals = 1;
    const outbox: Outbox = startOutbox<Data, Check>(
      store,
      {
        mail: {
          target: 'mail',
          deliver: async (entry) => {
            seen.push(entry.id);
            return 'delivered';
          },
        },
        check: {
          target: 'inventory',
          deliver: async (entry) => {
            seen.push(entry.id);
            if (checkRefusals-- > 0) return 'retry';
            await store.update((data) => {
              const order = data.orders.find((o) => o.id === entry.order_id);
              if (order) order.status = 'confirmed';
              data.outbox.push(mail(2));
            });
            outbox.deliverSoon();
            return 'delivered';
          },
        },
      },
      {
        concurrency: 1,
        firstRetryMs: 10,
        recover: (data) =>
          data.orders
            .filter((o) => o.status === 'placing')
            .map((o) => ({ kind: 'check' as const, id: `check-${o.id}`, order_id: o.id })),
      },
    );
    expect((await onDisk(store)).outbox).toEqual([mail(1)]);
    await eventually(() => seen.includes('mail-2'), 'queued mail delivered');
    expect(seen).toEqual(['check-a', 'mail-1', 'check-a', 'mail-2']);
    outbox.deliverSoon();
    await sleep(20);
    expect(seen.filter((id) => id === 'check-a')).toHaveLength(2);
  });

  it('stops: waits for the deliveries under way, then neither retries nor starts a pass', async () => {
    let finish = () => {};
    let calls = 0;
    const deliver = () => {
      calls++;
      return new Promise<'retry'>((resolve) => {
        finish = () => resolve('retry');
      });
    };
    const { outbox } = await withHandler(deliver, [mail(1)], { firstRetryMs: 10 });
    await eventually(() => calls === 1, 'delivery under way');
    let stopped = false;
    const stopping = outbox.stop().then(() => {
      stopped = true;
    });
    await sleep(20);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    outbox.deliverSoon();
    await sleep(40);
    expect(calls).toBe(1);
  });
});

describe('options', () => {
  it('refuses a handler without deliver, and a timing that cannot work, naming them', async () => {
    const store = await openShop();
    expect(() => createOutbox(store, { mail: { target: 'mail' }, refund: {} } as never)).toThrow(
      /createOutbox: the handler for "mail" needs a target and a deliver function, e\.g\./,
    );
    const handlers = shopHandlers(await startPeer('mail'), await startPeer('bank'));
    expect(() => createOutbox(store, handlers, { firstRetryMs: 0 })).toThrow(
      'createOutbox: firstRetryMs must be a whole number above 0 (got 0), e.g. firstRetryMs: 100',
    );
    expect(() => createOutbox(store, handlers, { concurrency: 1.5 })).toThrow(
      /concurrency must be a whole number/,
    );
  });
});
