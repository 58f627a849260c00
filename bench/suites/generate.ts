import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generate, REPO } from '../../generators/run.js';
import type { Measurement, Suite } from '../types.js';

const RUNS = 10;
const run = promisify(execFile);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

function summary(label: string, times: number[], note: string): Measurement {
  const p50 = percentile(times, 50);
  return { label, unit: 'runs/s', rps: 1000 / p50, p50, p99: percentile(times, 99), note };
}

/** Times `fn` RUNS times after one warm-up run. */
async function time(fn: (i: number) => Promise<unknown>): Promise<number[]> {
  await fn(-1);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn(i);
    times.push(performance.now() - started);
  }
  return times;
}

export const generation: Suite = {
  name: 'generate',
  title: `npm run generate: a new service, then a resource in it, each timed ${RUNS} times (p50), in a scratch project`,
  async run(ctx) {
    await mkdir(join(REPO, '.tmp'), { recursive: true });
    const root = await mkdtemp(join(REPO, '.tmp', 'bench-generate-'));
    try {
      const name = (i: number) => `bench${i + 1}`;
      ctx.log(`  generate service, ${RUNS} times (in this process)`);
      const service = await time((i) => generate('service', [name(i), String(4500 + i + 1)], { root }));
      ctx.log(`  generate resource, ${RUNS} times (in this process)`);
      const resource = await time((i) =>
        generate('resource', [name(i), 'parcel', 'label:string,weight:number'], { root }),
      );
      // As a learner runs it: a new Node process, tsx, the CLI, the plan, rendering and biome; --dry-run, so that
      // nothing lands in this repository's services/.
      ctx.log(`  npm run generate service -- <name> <port> --dry-run, ${RUNS} times (a process each)`);
      const cli = await time((i) =>
        run(
          process.execPath,
          ['--import', 'tsx', 'generators/cli.ts', 'service', `bench-cli${i + 2}`, '4599', '--dry-run'],
          {
            cwd: REPO,
          },
        ),
      );
      const ms = (label: string, value: number) => ({ label, value, unit: 'ms' });
      const under2s = { on: 'measured', op: '<=', value: 2000 } as const;
      return {
        rows: [
          {
            name: 'generate one service (p50)',
            measured: ms('in process', percentile(service, 50)),
            target: under2s,
          },
          {
            name: 'generate one service, whole command (p50)',
            measured: ms('node + tsx + CLI, --dry-run', percentile(cli, 50)),
            target: under2s,
          },
          {
            name: 'generate one resource (p50)',
            measured: ms('in process', percentile(resource, 50)),
            target: under2s,
          },
        ],
        measurements: [
          summary(
            'generate service (in process)',
            service,
            '13 files rendered, formatted with biome, written',
          ),
          summary(
            'generate resource (in process)',
            resource,
            'router + tests, 4 files edited at their anchors',
          ),
          summary('generate service, whole command --dry-run', cli, 'includes starting Node and tsx'),
        ],
      };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
