import { beforeAll, describe, expect, it } from 'vitest';
import { inTurn } from '../grader/testing.js';
import { type Case, compare, gradeCase, listCases, type Outcome } from './corpus.js';

/**
 * A part of the service corpus, graded by `npm run grade` as real processes: correct work in each stack and the
 * classes of mistakes a grader got wrong before (a store that keeps one record, JSON sent as text, integer ids, a
 * borrowed reference, a database's own side files). `npm run grade:corpus` grades every case.
 */
const PART = [
  '01-user-and-inventory/fastapi-int-ids',
  '01-user-and-inventory/fastapi-uuid-trailing-slash',
  '01-user-and-inventory/flask-keeps-last-only',
  '01-user-and-inventory/node-inventory-text-plain',
  '01-user-and-inventory/express-town-inventory',
  '01-user-and-inventory/fastapi-only-user',
  '03-orders-flow/fastapi-requests',
  '03-orders-flow/express-no-user-check',
  '05-database-per-service/fastapi-sqlite-wal',
  '06-calls-that-survive/fastapi-requests-sync',
];
/** The cases of this part, the longest first (exercise 06 waits out timeouts and pauses). */
const cases = listCases()
  .filter((c) => PART.includes(`${c.exercise}/${c.name}`))
  .sort((a, b) => b.exercise.localeCompare(a.exercise));

describe('a part of the service corpus, graded as a learner would be', () => {
  it('holds at least 60 service submissions in three stacks, and every case of this part', () => {
    const services = listCases().filter((c) => c.exercise !== '02-call-diagram');
    expect(services.length).toBeGreaterThanOrEqual(60);
    const stacks = new Set(services.map((c) => c.expected.stack));
    for (const stack of ['fastapi', 'flask']) expect(stacks).toContain(stack);
    expect(stacks.has('express') || stacks.has('node')).toBe(true);
    expect(cases.map((c) => `${c.exercise}/${c.name}`).sort()).toEqual([...PART].sort());
  });

  const graded = new Map<Case, Outcome>();
  beforeAll(async () => {
    await inTurn(cases, 2, async (c) => {
      graded.set(c, await gradeCase(c));
    });
  }, 600_000);

  it.each(cases.map((c) => [`${c.exercise.slice(0, 2)} ${c.name}`, c] as const))(
    '%s gets its grade',
    (_, c) => {
      expect(compare(c.expected, graded.get(c) as Outcome)).toEqual([]);
    },
  );
});
