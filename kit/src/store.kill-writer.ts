// Helper for store.test.ts: writes to a store without end, printing each id only once its write is acknowledged.
import { openStore } from './store.js';

const [file = '', preload = '3000'] = process.argv.slice(2);
const note = 'x'.repeat(60);
const store = await openStore<{ records: { id: number; note: string }[] }>(file, { records: [] });
await store.update((data) => {
  for (let i = 1; i <= Number(preload); i++) data.records.push({ id: -i, note });
});
process.stdout.write('ready\n');

let next = 0;
async function worker(): Promise<never> {
  for (;;) {
    const id = next++;
    await store.update((data) => data.records.push({ id, note }));
    process.stdout.write(`${id}\n`);
  }
}
for (let i = 0; i < 8; i++) void worker();
