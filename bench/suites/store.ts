import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadResult } from '../load.js';
import { compare } from '../measure.js';
import { BenchError, type Suite } from '../types.js';

const RECORDS = 10_000;

/** A record of realistic size: about 100 bytes of JSON. */
const record = (i: number) => ({
  name: `Thing number ${i}, a plain name`,
  weight: 12.5,
  email: `owner.${i}@example.com`,
});
const body = JSON.stringify({ weight: 13.5 });
// Writes update one record (its version counts them), so both files stay at 10,000 records for the whole run.
const TARGET = '42';

/** Every write the server acknowledged (2xx) must be in the file once it has stopped. */
async function countOnDisk(file: string, label: string, result: LoadResult): Promise<string> {
  const { things } = JSON.parse(await readFile(file, 'utf8')) as {
    things: { id: string; version: number }[];
  };
  const version = things.find((t) => t.id === TARGET)?.version ?? 0;
  if (things.length !== RECORDS || version < result.acknowledged) {
    throw new BenchError(
      `${label}: ${things.length} records, version ${version} on disk after ${result.acknowledged} acknowledged (writes lost)`,
    );
  }
  return `${things.length.toLocaleString('en-US')} records, ${version.toLocaleString('en-US')} acknowledged updates all on disk`;
}

export const store: Suite = {
  name: 'store',
  title: `acknowledged store writes at ${RECORDS.toLocaleString('en-US')} records, PATCH over HTTP: kit store vs plain lowdb`,
  async run(ctx) {
    const things = Array.from({ length: RECORDS }, (_, i) => ({
      ...record(i + 1),
      id: String(i + 1),
      version: 0,
    }));
    const seed = JSON.stringify({ things });
    ctx.log(`  seed: ${RECORDS} records, ${Math.round(seed.length / RECORDS)} bytes each on average`);

    const kitFile = join(ctx.tmp, 'kit-store.json');
    const lowdbFile = join(ctx.tmp, 'plain-lowdb.json');
    await writeFile(kitFile, seed);
    await writeFile(lowdbFile, seed);

    const post = { path: `/things/${TARGET}`, method: 'PATCH', body } as const;
    const [kit, lowdb] = await compare(ctx, [
      { label: 'kit store', script: 'writes-kit.ts', env: { DATA_FILE: kitFile }, ...post },
      { label: 'plain lowdb', script: 'writes-lowdb.ts', env: { DATA_FILE: lowdbFile }, ...post },
    ]);
    // The servers have stopped: read back what they left on disk.
    const kitNote = await countOnDisk(kitFile, 'kit store', kit);
    const lowdbNote = await countOnDisk(lowdbFile, 'plain lowdb', lowdb);

    return {
      rows: [
        {
          name: `store writes at ${RECORDS.toLocaleString('en-US')} records: kit vs plain lowdb`,
          measured: { label: 'kit store', value: kit.rps, unit: 'writes/s' },
          baseline: { label: 'plain lowdb', value: lowdb.rps, unit: 'writes/s' },
          target: { on: 'ratio', op: '>=', value: 10 },
        },
      ],
      measurements: [
        { ...kit, label: 'kit store (openStore, store.update per request)', unit: 'writes/s', note: kitNote },
        {
          ...lowdb,
          label: 'plain lowdb (JSONFile, await db.write() per request)',
          unit: 'writes/s',
          note: lowdbNote,
        },
      ],
    };
  },
};
