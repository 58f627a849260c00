import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExerciseConfig } from './exercise.js';
import {
  atLevel,
  exercismResults,
  formatTable,
  gradescopeResults,
  type HintLevel,
  scoreTasks,
  type TaskScore,
  type TestOutcome,
} from './score.js';

export interface ReportOptions {
  /** Nothing could be graded: the implementation did not start, the spec did not load. */
  error?: string;
  /** How much the hints tell (default `full`). */
  hints?: HintLevel;
  /** Seconds each task's checks took, for junit.xml. */
  seconds?: Map<number, number>;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
/** Text as an XML attribute or element holds it. */
export const xml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

/**
 * `junit.xml`: one test case per task, as CI test reporters show it. A task that lost its points is a `<failure>`
 * whose message is the hint (a timeout too); a task that could not be graded at all is an `<error>`.
 */
export function junitReport(
  config: ExerciseConfig,
  scores: TaskScore[],
  options: ReportOptions = {},
): string {
  const failures = scores.filter((s) => s.hint && s.hint !== options.error).length;
  const errors = scores.filter((s) => s.hint && s.hint === options.error).length;
  const time = (id: number) => (options.seconds?.get(id) ?? 0).toFixed(3);
  const total = scores.reduce((sum, s) => sum + Number(time(s.id)), 0).toFixed(3);
  const counts = `tests="${scores.length}" failures="${failures}" errors="${errors}" skipped="0" time="${total}"`;
  const cases = scores.map((s) => {
    const open = `    <testcase name="${xml(`${s.id}. ${s.title}`)}" classname="${xml(config.title)}" time="${time(s.id)}"`;
    if (!s.hint) return `${open}/>`;
    const tag = s.hint === options.error ? 'error' : 'failure';
    const points = `${s.earned}/${s.points} points`;
    return `${open}>\n      <${tag} message="${xml(s.hint)}" type="${points}">${xml(s.hint)}</${tag}>\n    </testcase>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(config.title)}" ${counts}>\n` +
    `  <testsuite name="${xml(config.title)}" ${counts}>\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`
  );
}

/** Scores the tests and writes results.json, gradescope.json and junit.xml into `out`. Returns the terminal table. */
export function writeReports(
  out: string,
  config: ExerciseConfig,
  graded: TestOutcome[],
  options: ReportOptions = {},
): string[] {
  const { error } = options;
  const tests = atLevel(graded, options.hints ?? 'full');
  const scores = scoreTasks(config.tasks, tests, error);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), json(exercismResults(scores, tests, error)));
  writeFileSync(join(out, 'gradescope.json'), json(gradescopeResults(scores, error)));
  writeFileSync(join(out, 'junit.xml'), junitReport(config, scores, options));
  return formatTable(scores, error);
}
