import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Child, freePort, spawnChild } from '@microtown/kit/testing';
import { REPO } from '../../exercises/grader/exercise.js';
import { BenchError, type Measurement, type Suite } from '../types.js';

const run = promisify(execFile);

/** One of our services on a free port, with its data in the bench's temporary folder; resolves once it answers. */
async function startService(name: string, tmp: string): Promise<{ url: string; child: Child }> {
  const port = await freePort();
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: join(REPO, 'services', `${name}-service`),
    env: { PORT: String(port), DATA_FILE: join(tmp, `grade-${name}.json`), LOG_LEVEL: 'silent' },
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await child.stop('SIGKILL');
  throw new BenchError(`${name} service did not start: ${child.output().trim().split('\n').at(-1)}`);
}

/** `npm run grade -- <args>` as a learner runs it, timed `runs` times; full marks or the bench stops. */
async function timeGrading(args: string[], runs: number, tmp: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    try {
      await run('npm', ['run', '-s', 'grade', '--', ...args, '--out', join(tmp, 'grade-report')], {
        cwd: REPO,
      });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new BenchError(
        `npm run grade -- ${args.join(' ')} did not give full marks: ${(stderr || stdout).trim().split('\n').at(-1)}`,
      );
    }
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const summary = (label: string, times: number[], note: string): Measurement => {
  const p50 = times[Math.floor((times.length - 1) / 2)] ?? Number.NaN;
  return { label, unit: 'runs/min', rps: 60_000 / p50, p50, p99: times.at(-1) ?? Number.NaN, note };
};

export const grade: Suite = {
  name: 'grade',
  title: 'npm run grade -- 01: the whole command (npm, tsx, Playwright, 7 tasks, reports), p50 of a few runs',
  async run(ctx) {
    const runs = Math.max(1, Math.min(5, Math.round(ctx.duration / 2)));
    const services = await Promise.all(['user', 'inventory'].map((name) => startService(name, ctx.tmp)));
    try {
      const [user, inventory] = services.map((s) => s.url);
      ctx.log(`  npm run grade -- 01 --url user=... --url inventory=..., ${runs} times`);
      const running = await timeGrading(
        ['01', '--url', `user=${user}`, '--url', `inventory=${inventory}`],
        runs,
        ctx.tmp,
      );
      ctx.log(
        `  npm run grade -- 01 --impl reference --teacher (the grader starts and stops it), ${runs} times`,
      );
      const starting = await timeGrading(['01', '--impl', 'reference', '--teacher'], runs, ctx.tmp);
      const seconds = (label: string, times: number[]) => ({
        label,
        value: (times[Math.floor((times.length - 1) / 2)] ?? 0) / 1000,
        unit: 's',
      });
      return {
        rows: [
          {
            name: 'grade exercise 01 against running services (p50)',
            measured: seconds('--url user, inventory', running),
            target: { on: 'measured', op: '<=', value: 15 },
          },
          {
            name: 'grade exercise 01, starting the reference itself (p50)',
            measured: seconds('--impl reference --teacher', starting),
          },
        ],
        measurements: [
          summary('npm run grade -- 01 --url ...', running, 'full marks: 7 tasks checked, 4 reports written'),
          summary(
            'npm run grade -- 01 --impl reference --teacher',
            starting,
            'also starts user and inventory (tsx) and stops them',
          ),
        ],
      };
    } finally {
      await Promise.all(services.map((s) => s.child.stop()));
    }
  },
};
