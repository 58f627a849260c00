import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { lostTasks, runGrade } from './testing.js';

const KB = 1024;

/** The bytes of a file, or of every file under a folder. */
function size(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + size(join(path, name)), 0);
}

it('a service that prints 10 MB before it crashes: every hint and report quotes a short excerpt, never the flood', async () => {
  const run = await runGrade(['01', '--impl', join(import.meta.dirname, 'testdata', 'flood')]);
  expect(run.code).toBe(1);
  const lost = lostTasks(run);
  expect(Object.keys(lost).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  // user: one 10 MB line, then its error, before it listened.
  expect(lost[1]).toMatch(/exited before it answered: .*x….*Error: the flood is over/);
  // inventory: 20,000 lines and a 10 MB line at its first call, then its error.
  expect(lost[5]).toMatch(/inventory exited \(code 3\); it printed: .*Error: boom after the flood/);
  expect(lost[5]).toContain('z…');
  for (const hint of Object.values(lost)) expect(hint.length).toBeLessThan(4 * KB);
  for (const report of ['results.json', 'gradescope.json', 'junit.xml']) {
    expect(size(join(run.out, report)), report).toBeLessThan(64 * KB);
    expect(readFileSync(join(run.out, report), 'utf8')).toContain('Error: boom after the flood');
  }
  expect(size(join(run.out, 'html')), 'html/').toBeLessThan(2 * KB * KB);
  expect(run.stdout.length, 'the table').toBeLessThan(64 * KB);
  expect(run.stdout).toContain('Error: the flood is over');
}, 120_000);
