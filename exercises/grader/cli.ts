// `npm run grade -- <exercise> [--url <service>=<baseURL> ...] [--impl <folder>] [--out <dir>] [--hints <level>]`
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { checkReachable, checkUrls, readArgs, USAGE } from './args.js';
import { GradeError } from './checks.js';
import { startControl } from './control-server.js';
import { EXERCISES, findExercise } from './exercise.js';
import { loadImplementation } from './implementation.js';
import { writeReports } from './reports.js';
import type { Results } from './score.js';
import { Supervisor } from './supervisor.js';
import { startRecordingProxy } from './town-proxy.js';

const PLAYWRIGHT = createRequire(import.meta.url).resolve('@playwright/test/cli');
const CONFIG = join(import.meta.dirname, 'playwright.config.ts');
const REPORTS = ['results.json', 'gradescope.json', 'junit.xml', 'html'];

/** Grades one exercise; returns the exit code: 0 full marks, 1 graded with points missing, 2 not graded. */
export async function main(argv: string[]): Promise<number> {
  const options = readArgs(argv);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const exercise = findExercise(options.exercise, options.exercises ? resolve(options.exercises) : EXERCISES);
  checkUrls(options.urls, exercise);
  const impl = loadImplementation(exercise, options.impl);
  await checkReachable(options.urls);

  const tmp = mkdtempSync(join(tmpdir(), 'microtown-grade-'));
  const supervisor = await Supervisor.plan(exercise, impl, options.urls, tmp, {
    teacher: options.teacher,
  }).catch((error: Error) => {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  });
  const out = resolve(options.out);
  for (const name of REPORTS) rmSync(join(out, name), { recursive: true, force: true });
  const { config } = exercise;
  const points = config.tasks.reduce((sum, t) => sum + t.points, 0);
  console.log(`grading ${exercise.folder}: ${config.title} (${points} points)`);
  console.log(`  implementation  ${impl.label}`);
  for (const t of supervisor.targets.values()) {
    console.log(`  ${t.name.padEnd(14)}  ${t.url}  (${t.managed ? `started from ${t.source}` : '--url'})`);
  }
  for (const name of supervisor.missing.keys()) console.log(`  ${name.padEnd(14)}  not submitted`);

  let playwright: ChildProcess | undefined;
  const stop = async () => {
    await stopGroup(playwright);
    await supervisor.close();
    const strays = supervisor.leftBehind();
    if (strays) console.error(`grade: ${strays}`);
    rmSync(tmp, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().then(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
  }
  const control = await startControl(supervisor);
  const proxy = config.playground
    ? await startRecordingProxy([...supervisor.targets.values()], config.playground === 'page')
    : undefined;
  if (proxy) console.log(`  ${'playground'.padEnd(14)}  ${proxy.url}  (records every call between them)`);
  try {
    try {
      await supervisor.startAll(supervisor.peerEnv(proxy?.urlOf));
    } catch (error) {
      if (!(error instanceof GradeError)) throw error;
      // The learner's service did not start: that is a grade (nothing passes), not a mistake on the command line.
      console.log(
        ['', ...writeReports(out, config, [], { error: error.message, hints: options.hints }), ''].join('\n'),
      );
      return finish(out);
    }
    playwright = spawn(process.execPath, [PLAYWRIGHT, 'test', '--config', CONFIG], {
      stdio: 'inherit',
      detached: true,
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        GRADE_EXERCISE: exercise.dir,
        GRADE_IMPL: impl.dir,
        GRADE_OUT: out,
        GRADE_HINTS: options.hints,
        GRADE_TMP: tmp,
        GRADE_CONTROL: control.url,
        GRADE_PLAYGROUND: proxy?.url ?? '',
        GRADE_SERVICES: JSON.stringify(supervisor.describe()),
        GRADE_MISSING: JSON.stringify(Object.fromEntries(supervisor.missing)),
      },
    });
    const child = playwright;
    await new Promise((done) => child.once('exit', done));
    return finish(out);
  } finally {
    await control.close();
    await proxy?.close();
    await stop();
  }
}

/** Playwright closes its browsers on SIGINT; whatever is left after 5 s is killed. */
async function stopGroup(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // Gone already.
    }
  };
  const exited = new Promise((done) => child.once('exit', done));
  kill('SIGINT');
  const timer = setTimeout(() => kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Reads back the score: exit 0 only on full marks. */
function finish(out: string): number {
  const file = join(out, 'results.json');
  if (!existsSync(file)) throw new GradeError('the grading spec did not run (see the lines above)');
  const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
  const where = relative(process.cwd(), out) || '.';
  console.log(`reports in ${where}/: ${REPORTS.filter((name) => existsSync(join(out, name))).join(', ')}`);
  return results.status === 'pass' && results.score === results.max_score ? 0 : 1;
}

if (process.argv[1] === import.meta.filename) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      if (!(error instanceof GradeError) && process.env.MICROTOWN_DEBUG) console.error(error);
      console.error(
        `grade: ${error.message}${error instanceof GradeError ? '' : ' (MICROTOWN_DEBUG=1 shows where)'}`,
      );
      process.exit(2);
    },
  );
}
