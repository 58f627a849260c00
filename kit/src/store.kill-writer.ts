// Helper for store.test.ts: writes to a store without end, printing each id only once its write is acknowledged.
// It compacts after every `compactBytes` of journal, so a kill lands in every phase: append, data file, rename.
import { openStore } from './store.js';

const [file = '', preload = '3000', compactBytes = '4000'] = process.argv.slice(2);
const note = 'x'.repeat(60);
const store = await openStore<{ records: { id: number; note: string; n: number }[] }>(
  file,
  { records: [] },
  { compactBytes: Number(compactBytes), idleMs: 20 },
);
if (store.data.records.length === 0) {
  await store.update((data) => {
    for (let i = 1; i <= Number(preload); i++) data.records.push({ id: -i, note, n: 0 });
  });
}
process.stdout.write('ready\n');

let next = Date.now() * 100; // ids stay unique across the writer's many lives
async function worker(w: number): Promise<never> {
  for (let round = 0; ; round++) {
    const id = next++;
    await store.update((data) => {
      data.records.push({ id, note, n: 0 });
      // Changes in place too, and removes a preloaded record now and then; acknowledged ids are never removed.
      const some = data.records[(id % data.records.length) | 0];
      if (some) some.n++;
      if (round % 5 === w % 5 && (data.records[0]?.id ?? 0) < 0) data.records.splice(0, 1);
    });
    process.stdout.write(`${id}\n`);
  }
}
for (let i = 0; i < 8; i++) void worker(i);
