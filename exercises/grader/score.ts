import type { ExerciseConfig } from './exercise.js';

/** One test of a grading spec, as Exercism's test runner interface (v3) records it. */
export interface TestOutcome {
  name: string;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  /** The test's source, as the learner reads it in Exercism's editor. */
  test_code?: string;
  task_id: number;
}

/** How much a hint tells, as the teacher sets it: everything, what came back only, or which check failed. */
export const HINT_LEVELS = ['full', 'brief', 'none'] as const;
export type HintLevel = (typeof HINT_LEVELS)[number];
export const isHintLevel = (value: string): value is HintLevel =>
  (HINT_LEVELS as readonly string[]).includes(value);

/**
 * A hint at the teacher's level. `brief` keeps what was sent and what came back (the first clause) and drops what
 * was expected, the advice, the curl line and the calls made meanwhile; `none` says only which check failed.
 */
export function reveal(hint: string, level: HintLevel, check: string): string {
  if (level === 'full') return hint;
  if (level === 'none') return `"${check}" failed`;
  const others =
    /; \d+ other (?:cases?|checks?) of this (?:check|task) failed too: [^;]*/.exec(hint)?.[0] ?? '';
  const bare = hint
    .replace(/ \(to repeat it: .*?\)(?=;|$)/gs, '')
    .replace(/; meanwhile your service called: .*$/s, '');
  return `${bare.split('; ')[0] ?? bare}${others}`;
}

/** A test's messages at the teacher's hint level. */
export const atLevel = (tests: TestOutcome[], level: HintLevel): TestOutcome[] =>
  tests.map((t) => (t.message === null ? t : { ...t, message: reveal(t.message, level, t.name) }));

/** One task of the exercise: all its tests pass, or it earns nothing and says why in one hint. */
export interface TaskScore {
  id: number;
  title: string;
  points: number;
  earned: number;
  hint?: string;
}

/** `results.json`: Exercism's test runner interface, version 3, plus the points. */
export interface Results {
  version: 3;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  tests: TestOutcome[];
  score: number;
  max_score: number;
}

export function scoreTasks(
  tasks: ExerciseConfig['tasks'],
  tests: TestOutcome[],
  error?: string,
): TaskScore[] {
  return tasks.map((task, index) => {
    const id = index + 1;
    const own = tests.filter((test) => test.task_id === id);
    const [failed, ...others] = own.filter((test) => test.status !== 'pass');
    const also = others.length
      ? `; ${others.length} other check${others.length === 1 ? '' : 's'} of this task failed too: ${others.map((t) => `"${t.name}"`).join(', ')}`
      : '';
    const hint = failed
      ? `${failed.message ?? `"${failed.name}" failed`}${also}`
      : own.length === 0
        ? (error ?? 'no test checks this task')
        : undefined;
    return { id, title: task.title, points: task.points, earned: hint ? 0 : task.points, hint };
  });
}

const total = (scores: TaskScore[], key: 'earned' | 'points') => scores.reduce((sum, s) => sum + s[key], 0);

/** `error`: nothing could be graded (the implementation did not start, the spec did not load). */
export function exercismResults(scores: TaskScore[], tests: TestOutcome[], error?: string): Results {
  const score = total(scores, 'earned');
  const max = total(scores, 'points');
  const status = error && tests.length === 0 ? 'error' : score === max && !error ? 'pass' : 'fail';
  return { version: 3, status, message: error ?? null, tests, score, max_score: max };
}

/** `gradescope.json`: Gradescope's autograder results, one test per task. */
export function gradescopeResults(scores: TaskScore[], error?: string) {
  return {
    score: total(scores, 'earned'),
    output: error ?? `${total(scores, 'earned')}/${total(scores, 'points')} points`,
    visibility: 'visible',
    stdout_visibility: 'visible',
    tests: scores.map((s) => ({
      name: `${s.id}. ${s.title}`,
      number: String(s.id),
      score: s.earned,
      max_score: s.points,
      status: s.hint ? 'failed' : 'passed',
      output: s.hint ?? '',
      visibility: 'visible',
    })),
  };
}

/** The terminal table: one row per task with its points, and the hint under each task that lost them. */
export function formatTable(scores: TaskScore[], error?: string): string[] {
  const rows = scores.map((s) => ({ ...s, name: `${s.id}. ${s.title}`, pts: `${s.earned}/${s.points}` }));
  const width = Math.max(...rows.map((r) => r.name.length), 'task'.length);
  const pts = Math.max(...rows.map((r) => r.pts.length), 'points'.length);
  const lines = error ? [`  not graded: ${error}`, ''] : [];
  lines.push(`    ${'task'.padEnd(width)}  ${'points'.padStart(pts)}`);
  for (const row of rows) {
    lines.push(`  ${row.hint ? '✗' : '✓'} ${row.name.padEnd(width)}  ${row.pts.padStart(pts)}`);
    if (row.hint && row.hint !== error) lines.push(`      hint: ${row.hint}`);
  }
  const sum = `${total(scores, 'earned')}/${total(scores, 'points')}`;
  lines.push(`    ${'score'.padEnd(width)}  ${sum.padStart(pts)}`);
  return lines;
}
