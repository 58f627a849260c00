import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HTTPException, type Service, z } from '@microtown/kit';
import { endGroup } from '@microtown/kit/town';

const REPO = join(import.meta.dirname, '..', '..');
const GRADER = join(REPO, 'exercises', 'grader', 'cli.ts');
/** The grader's line per test (see its reporter): `grade-progress {...}`. */
const PROGRESS = 'grade-progress ';
const OUTPUT_LINES = 40;

/** What the page needs of `exercises/NN-*\/exercise.json` (the grader's own schema checks the rest). */
const ExerciseFile = z.object({
  title: z.string(),
  services: z.array(z.string()).default([]),
  startsServices: z.boolean().default(false),
  tasks: z.array(z.object({ title: z.string(), points: z.number() })),
});

export const TaskRun = z
  .object({
    id: z.int(),
    title: z.string(),
    points: z.number(),
    state: z.enum(['waiting', 'running', 'passed', 'failed']),
    score: z.number().nullable().describe('its points once graded'),
    hint: z.string().nullable(),
    /** When its checks ran: the calls recorded meanwhile are its calls. */
    started: z.string().nullable(),
    ended: z.string().nullable(),
  })
  .meta({ id: 'TaskRun' });

export const CheckRun = z
  .object({
    exercise: z.string(),
    state: z.enum(['running', 'done', 'error']),
    how: z.string().describe('whose services are graded, and where'),
    tasks: z.array(TaskRun),
    score: z.number().nullable(),
    max_score: z.number(),
    error: z.string().nullable(),
    output: z.array(z.string()).describe("the grader's last lines"),
  })
  .meta({ id: 'CheckRun' });
export type CheckRun = z.output<typeof CheckRun>;

export const CheckState = z
  .object({
    enabled: z.boolean().describe('false when the teacher turned Check my work off'),
    exercise: z.string().nullable().describe('the exercise npm start runs the learner’s services of'),
    exercises: z.array(
      z.object({ folder: z.string(), title: z.string(), points: z.number(), tasks: z.int() }),
    ),
    run: CheckRun.nullable(),
  })
  .meta({ id: 'CheckState' });

export interface CheckOptions {
  /** Off when the teacher says so (`npm start -- --no-check`, PLAYGROUND_CHECK=off). */
  enabled: boolean;
  /** The exercise whose learner's services `npm start` runs (`--exercise`), their names, and their folder. */
  exercise?: string;
  learners: string[];
  impl?: string;
  /** The playground's own URL, known once it listens: the grader reaches the learner's services through it. */
  url(): string;
  /** Each change of the run, for the page (server-sent event `check`). */
  changed(run: CheckRun): void;
  exercisesDir?: string;
}

interface Exercise {
  folder: string;
  title: string;
  services: string[];
  startsServices: boolean;
  tasks: { title: string; points: number }[];
}

function readExercises(dir: string): Exercise[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d{2}-[a-z0-9-]+$/.test(name) && existsSync(join(dir, name, 'exercise.json')))
    .sort()
    .flatMap((folder) => {
      const parsed = ExerciseFile.safeParse(
        JSON.parse(readFileSync(join(dir, folder, 'exercise.json'), 'utf8')),
      );
      return parsed.success ? [{ folder, ...parsed.data }] : [];
    });
}

/**
 * "Check my work": the page runs the same grader as `npm run grade`, with the same scores. The learner's services
 * that `npm start -- --exercise NN` runs are graded as they run, through the playground (their calls show on the
 * page); an exercise whose grader must start and restart the services itself is graded as `npm run grade` does.
 */
export function addCheckRoutes(api: Service, options: CheckOptions) {
  const dir = options.exercisesDir ?? join(REPO, 'exercises');
  let run: CheckRun | null = null;
  let child: ChildProcess | undefined;

  const exercises = () => readExercises(dir);
  const state = () => ({
    enabled: options.enabled,
    exercise: options.exercise ?? null,
    exercises: exercises().map((e) => ({
      folder: e.folder,
      title: e.title,
      points: e.tasks.reduce((sum, t) => sum + t.points, 0),
      tasks: e.tasks.length,
    })),
    run,
  });

  /** The grader's arguments, and the words that say to the learner what is graded. */
  const plan = (exercise: Exercise): { args: string[]; how: string } => {
    const args = [exercise.folder, '--hints', 'full'];
    const mine = exercise.folder === options.exercise;
    if (mine && options.impl) args.push('--impl', options.impl);
    const running = mine ? exercise.services.filter((s) => options.learners.includes(s)) : [];
    if (running.length && !exercise.startsServices) {
      for (const name of running) args.push('--url', `${name}=${options.url()}/svc/${name}`);
      return { args, how: `your ${running.join(' and ')} as they run in this town, through the playground` };
    }
    const starts = exercise.services.length
      ? `the grader starts your ${exercise.services.join(', ')} itself, as npm run grade does`
      : 'graded as npm run grade does';
    return { args, how: `${starts}${mine && options.impl ? '' : ' (from the exercise’s starter)'}` };
  };

  const update = (next: Partial<CheckRun>) => {
    if (!run) return;
    run = { ...run, ...next };
    options.changed(run);
  };
  const setTask = (id: number, next: Partial<CheckRun['tasks'][number]>) =>
    update({ tasks: (run?.tasks ?? []).map((t) => (t.id === id ? { ...t, ...next } : t)) });

  const onProgress = (line: string) => {
    let event: {
      event: string;
      task: number;
      passed?: boolean;
      hint?: string | null;
      ended?: string;
    };
    try {
      event = JSON.parse(line.slice(PROGRESS.length));
    } catch {
      return;
    }
    const task = run?.tasks.find((t) => t.id === event.task);
    if (!task) return;
    if (event.event === 'begin') {
      setTask(task.id, {
        state: task.state === 'failed' ? 'failed' : 'running',
        started: task.started ?? new Date().toISOString(),
      });
    } else {
      const failed = task.state === 'failed' || !event.passed;
      setTask(task.id, {
        state: failed ? 'failed' : 'running',
        hint: task.hint ?? (event.passed ? null : (event.hint ?? 'failed')),
        ended: event.ended ?? new Date().toISOString(),
      });
    }
  };

  const finish = async (out: string, code: number | null) => {
    try {
      const report = JSON.parse(await readFile(join(out, 'gradescope.json'), 'utf8')) as {
        score: number;
        tests: { number: string; score: number; max_score: number; output: string }[];
      };
      const tasks = (run?.tasks ?? []).map((task) => {
        const graded = report.tests.find((t) => Number(t.number) === task.id);
        const passed = graded !== undefined && graded.score >= graded.max_score;
        return {
          ...task,
          state: passed ? ('passed' as const) : ('failed' as const),
          score: graded?.score ?? 0,
          hint: passed ? null : graded?.output.split('\n')[0] || task.hint || 'not graded',
        };
      });
      update({ state: 'done', tasks, score: report.score });
    } catch {
      const error =
        run?.output.findLast((line) => /^grade: /.test(line)) ?? `the grader stopped (exit code ${code})`;
      update({ state: 'error', error });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  };

  const start = async (folder: string) => {
    const exercise = exercises().find((e) => e.folder === folder || e.folder.startsWith(`${folder}-`));
    if (!exercise)
      throw new HTTPException(
        404,
        `No exercise ${folder}; exercises: ${exercises()
          .map((e) => e.folder)
          .join(', ')}`,
      );
    const { args, how } = plan(exercise);
    const out = await mkdtemp(join(tmpdir(), 'microtown-check-'));
    run = {
      exercise: exercise.folder,
      state: 'running',
      how,
      tasks: exercise.tasks.map((t, i) => ({
        id: i + 1,
        title: t.title,
        points: t.points,
        state: 'waiting',
        score: null,
        hint: null,
        started: null,
        ended: null,
      })),
      score: null,
      max_score: exercise.tasks.reduce((sum, t) => sum + t.points, 0),
      error: null,
      output: [],
    };
    options.changed(run);
    const started = spawn(process.execPath, ['--import', 'tsx', GRADER, ...args, '--out', out], {
      cwd: REPO,
      env: { ...process.env, GRADE_PROGRESS: '1', FORCE_COLOR: '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    for (const source of [started.stdout, started.stderr]) {
      createInterface({ input: source }).on('line', (line) => {
        if (line.startsWith(PROGRESS)) return onProgress(line);
        if (run) run.output = [...run.output, line].slice(-OUTPUT_LINES);
      });
    }
    started.once('exit', (code) => {
      child = undefined;
      void finish(out, code);
    });
    return run;
  };

  api.get(
    '/api/check',
    {
      summary: 'The exercises, and the last run of Check my work',
      operationId: 'read_check',
      tags: ['check'],
      response: CheckState,
    },
    () => state(),
  );

  api.post(
    '/api/check',
    {
      summary: 'Grade an exercise now, with the same grader as npm run grade',
      description: 'Answers at once; the tasks tick in as server-sent events `check`.',
      operationId: 'start_check',
      tags: ['check'],
      body: z.object({ exercise: z.string().min(1).max(64) }),
      response: CheckRun,
      status: 202,
      errors: { 403: 'Check my work is turned off', 404: 'No such exercise', 409: 'A check is under way' },
    },
    async ({ body }) => {
      if (!options.enabled)
        throw new HTTPException(403, 'Check my work is turned off for this town (npm start -- --no-check)');
      if (child) throw new HTTPException(409, `A check of ${run?.exercise} is under way; wait for its score`);
      return start(body.exercise);
    },
  );

  return {
    async close() {
      if (child?.pid) await endGroup(child.pid).catch(() => undefined);
    },
  };
}
