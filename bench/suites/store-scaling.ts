import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '@microtown/kit';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Context, Measurement, Suite } from '../types.js';

const SIZES = [1_000, 10_000, 100_000, 1_000_000];
const WRITERS = 32;

type Thing = { id: string; name: string; weight: number; email: string; version: number };
type Data = { things: Thing[] };

/** The same ~100-byte records as the store suite. */
const thing = (i: number): Thing => ({
  id: String(i),
  name: `Thing number ${i}, a plain name`,
  weight: 12.5,
  email: `owner.${i}@example.com`,
  version: 0,
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const fmt = (n: number) => n.toLocaleString('en-US');

/** One update at a time until `samples` or `seconds`, then `WRITERS` at once for `seconds`. */
async function measure(
  update: (id: string) => Promise<void>,
  size: number,
  samples: number,
  seconds: number,
) {
  const pick = () => String(1 + Math.floor(Math.random() * size));
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (times.length < samples && (times.length < 3 || performance.now() < until)) {
    const started = performance.now();
    await update(pick());
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < end || done === 0) {
        await update(pick());
        done++;
      }
    }),
  );
  const rps = done / ((performance.now() - started) / 1000);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), rps, samples: times.length };
}

async function kitAt(ctx: Context, file: string, size: number) {
  const opening = performance.now();
  const store = await openStore<Data>(file, { things: [] }, { log: () => {} });
  const openMs = performance.now() - opening;
  const byId = new Map(store.data.things.map((t) => [t.id, t]));
  const result = await measure(
    (id) =>
      store.update(() => {
        const found = byId.get(id);
        if (found) found.version++;
      }),
    size,
    ctx.duration < 2 ? 100 : 500,
    ctx.duration / 4,
  );
  await store.close();
  return { ...result, openMs };
}

async function lowdbAt(ctx: Context, file: string, size: number) {
  const opening = performance.now();
  const db = new Low<Data>(new JSONFile(file), { things: [] });
  await db.read();
  const openMs = performance.now() - opening;
  const byId = new Map(db.data.things.map((t) => [t.id, t]));
  const result = await measure(
    async (id) => {
      const found = byId.get(id);
      if (found) found.version++;
      await db.write();
    },
    size,
    ctx.duration < 2 ? 50 : 200,
    ctx.duration / 4,
  );
  return { ...result, openMs };
}

export const storeScaling: Suite = {
  name: 'store-scaling',
  title: `acknowledged store.update in process at ${SIZES.map(fmt).join(' / ')} records (one at a time, and ${WRITERS} at once): kit store vs plain lowdb`,
  async run(ctx) {
    const kit: Awaited<ReturnType<typeof kitAt>>[] = [];
    const measurements: Measurement[] = [];
    for (const size of SIZES) {
      const seed = JSON.stringify({ things: Array.from({ length: size }, (_, i) => thing(i + 1)) });
      const kitFile = join(ctx.tmp, `scaling-kit-${size}.json`);
      const lowdbFile = join(ctx.tmp, `scaling-lowdb-${size}.json`);
      await writeFile(kitFile, seed);
      await writeFile(lowdbFile, seed);
      ctx.log(`  ${fmt(size)} records: kit store`);
      const k = await kitAt(ctx, kitFile, size);
      kit.push(k);
      ctx.log(`  ${fmt(size)} records: plain lowdb`);
      const l = await lowdbAt(ctx, lowdbFile, size);
      const note = (r: typeof k) =>
        `opens in ${fmt(Math.round(r.openMs))} ms; p50/p99 of ${r.samples} updates one at a time`;
      measurements.push(
        {
          label: `kit store, ${fmt(size)} records`,
          unit: 'updates/s',
          rps: k.rps,
          p50: k.p50,
          p99: k.p99,
          note: note(k),
        },
        {
          label: `plain lowdb, ${fmt(size)} records`,
          unit: 'updates/s',
          rps: l.rps,
          p50: l.p50,
          p99: l.p99,
          note: note(l),
        },
      );
    }
    const [at1k, , at100k, at1m] = kit as [
      (typeof kit)[0],
      (typeof kit)[0],
      (typeof kit)[0],
      (typeof kit)[0],
    ];
    return {
      rows: [
        {
          name: 'store: p50 of one acknowledged update, 100,000 records vs 1,000',
          measured: { label: '100,000 records', value: at100k.p50, unit: 'ms' },
          baseline: { label: '1,000 records', value: at1k.p50, unit: 'ms' },
          target: { on: 'ratio', op: '<=', value: 1.5 },
        },
        {
          name: `store: ${WRITERS} concurrent writers, 100,000 records vs 1,000`,
          measured: { label: '100,000 records', value: at100k.rps, unit: 'updates/s' },
          baseline: { label: '1,000 records', value: at1k.rps, unit: 'updates/s' },
          target: { on: 'ratio', op: '>=', value: 0.5 },
        },
        {
          name: 'store: open 1,000,000 records',
          measured: { label: 'kit store', value: at1m.openMs / 1000, unit: 's' },
          target: { on: 'measured', op: '<=', value: 3 },
        },
      ],
      measurements,
    };
  },
};
