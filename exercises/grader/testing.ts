import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keptFolder } from '../../test/support/tidy-scratch.js';
import { REPO } from './exercise.js';
import type { Results } from './score.js';

export interface Graded {
  code: number;
  stdout: string;
  stderr: string;
  out: string;
  results?: Results;
  /** Gradescope's tests: one per task. */
  tasks?: { number: string; score: number; max_score: number; status: string; output: string }[];
  /** The URLs of the services the grader said it started. */
  started: string[];
}

/** `npm run grade -- <args> --out <fresh dir>` as a real process, and what it wrote. */
export async function runGrade(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Graded> {
  const out = await keptFolder('grade');
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (done) => {
      execFile(
        'npm',
        ['run', '-s', 'grade', '--', ...args, '--out', out],
        { cwd: REPO, env: { ...process.env, ...env }, timeout: 180_000 },
        (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    },
  );
  const read = (name: string) =>
    existsSync(join(out, name)) ? JSON.parse(readFileSync(join(out, name), 'utf8')) : undefined;
  const started = [...stdout.matchAll(/^ {2}\S+ +(http:\/\/127\.0\.0\.1:\d+) +\(started from/gm)].map(
    (m) => m[1] ?? '',
  );
  return {
    code,
    stdout,
    stderr,
    out,
    results: read('results.json'),
    tasks: read('gradescope.json')?.tests,
    started,
  };
}

/** The tasks that lost their points, each with its hint. */
export const lostTasks = (graded: Graded) =>
  Object.fromEntries(
    (graded.tasks ?? []).filter((t) => t.status === 'failed').map((t) => [Number(t.number), t.output]),
  );

/** Whether anything still answers at `url` (a service the grader should have stopped). */
export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** Runs `work` on each item, `jobs` at a time: gradings each start their own services on free ports. */
export async function inTurn<T>(
  items: readonly T[],
  jobs: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next);
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
}
