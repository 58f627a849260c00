import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { compare } from '../measure.js';
import type { Server } from '../spawn.js';
import { BenchError, type Suite } from '../types.js';

/** The example service's shape, in its schema's key order, so all three send the same bytes. */
const thing = (i: number) => ({
  name: `Thing ${i}`,
  weight: i / 4,
  email: `thing${i}@example.com`,
  id: String(i),
});
const ID = 42;

/** The same JSON from all three, or the comparison means nothing. */
async function answersThing(server: Server) {
  const response = await fetch(`${server.url}/things/${ID}`);
  const body = await response.json().catch(() => undefined);
  if (response.status !== 200 || !isDeepStrictEqual(body, thing(ID))) {
    throw new BenchError(
      `${server.name}: GET /things/${ID} answered ${response.status} ${JSON.stringify(body)}`,
    );
  }
}

export const read: Suite = {
  name: 'read',
  title:
    'GET /things/{id}: kit service vs bare Express 5 vs raw node:http (request logs off for all: LOG_LEVEL=silent)',
  async run(ctx) {
    const file = join(ctx.tmp, 'things.json');
    await writeFile(file, JSON.stringify({ things: Array.from({ length: 100 }, (_, i) => thing(i + 1)) }));
    const common = { env: { DATA_FILE: file }, path: `/things/${ID}`, check: answersThing };

    const [kit, express, node] = await compare(ctx, [
      { label: 'kit', script: 'things-kit.ts', ...common },
      { label: 'bare Express', script: 'things-express.ts', ...common },
      { label: 'raw node:http', script: 'things-node.ts', ...common },
    ]);

    const rate = (label: string, value: number) => ({ label, value, unit: 'req/s' });
    return {
      rows: [
        {
          name: 'GET /things/{id}: kit vs bare Express',
          measured: rate('kit', kit.rps),
          baseline: rate('bare Express', express.rps),
          target: { on: 'ratio', op: '>=', value: 0.95 },
        },
        {
          name: 'GET /things/{id}: kit vs raw node:http',
          measured: rate('kit', kit.rps),
          baseline: rate('raw node:http', node.rps),
        },
      ],
      measurements: [
        { ...kit, label: 'kit (kit/example/app.ts, store on a 100-thing file)', unit: 'req/s' },
        { ...express, label: 'bare Express 5 (in-memory array, res.json)', unit: 'req/s' },
        { ...node, label: 'raw node:http (in-memory array)', unit: 'req/s' },
      ],
    };
  },
};
