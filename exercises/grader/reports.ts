import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExerciseConfig } from './exercise.ts';
import { exercismResults, formatTable, gradescopeResults, scoreTasks, type TestOutcome } from './score.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const xml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

/**
 * Scores the tests and writes results.json and gradescope.json into `out` (Playwright writes junit.xml and the HTML
 * report itself; `withJunit` writes a junit.xml here when Playwright never ran). Returns the terminal table.
 */
export function writeReports(
  out: string,
  config: ExerciseConfig,
  tests: TestOutcome[],
  error?: string,
  withJunit = false,
): string[] {
  const scores = scoreTasks(config.tasks, tests, error);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), json(exercismResults(scores, tests, error)));
  writeFileSync(join(out, 'gradescope.json'), json(gradescopeResults(scores, error)));
  if (withJunit) {
    const cases = scores.map(
      (s) =>
        `    <testcase name="${xml(`${s.id}. ${s.title}`)}" classname="${xml(config.title)}" time="0">\n` +
        `      <error message="${xml(s.hint ?? '')}"/>\n    </testcase>`,
    );
    writeFileSync(
      join(out, 'junit.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${scores.length}" errors="${scores.length}">\n` +
        `  <testsuite name="${xml(config.title)}" tests="${scores.length}" errors="${scores.length}">\n` +
        `${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`,
    );
  }
  return formatTable(scores, error);
}
