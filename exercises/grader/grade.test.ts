import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './exercise.js';
import { xml } from './reports.js';
import { answers, type Graded, inTurn, lostTasks, runGrade } from './testing.js';

/**
 * Each implementation, graded by `npm run grade` as a real process, must lose exactly these tasks, each with a hint
 * that names the mistake. The broken ones are in exercises/<NN>/fixtures/ (see their first lines).
 */
/** The second service given a data file another one holds, in its own words (at the start, or at a restart). */
const HELD = /\b(user|inventory)\b.* \1 service: \S*town\.json is in use by process \d+/;

const CASES: {
  exercise: string;
  impl: string;
  teacher?: boolean;
  lost: Record<number, RegExp>;
  /** Tasks that may be lost too, with their hints, when which of two services loses a race is not known. */
  mayLose?: Record<number, RegExp>;
}[] = [
  { exercise: '01', impl: 'reference', lost: {} },
  { exercise: '01', impl: 'fixtures/learner', lost: {} },
  {
    exercise: '01',
    impl: 'fixtures/wrong-status',
    lost: {
      1: /^POST \/users answered 200 \{.*\}; expected 201: a POST that creates something answers 201 Created/,
      5: /^POST \/items answered 200 \{.*\}; expected 201/,
    },
  },
  {
    exercise: '01',
    impl: 'fixtures/chapter-error-200',
    lost: { 4: /^GET \/users\/\S+ answered 200 \{"error":"Not found"\}; expected 404/ },
  },
  {
    exercise: '01',
    impl: 'fixtures/negative-stock',
    lost: {
      6: /^a negative stock: POST \/items with \{"name":"lamp","stock":-1\} answered 201 .*; expected 422 .*"loc":\["body","stock"\][^;]*$/,
    },
  },
  {
    exercise: '01',
    impl: 'fixtures/missing-validation',
    lost: {
      2: /^no email: POST \/users with \{"name":"Ada"\} answered 201 .*; expected 422 .*"loc":\["body","email"\].*; 4 other cases of this check failed too: an invalid email, no name, an empty name, a name of 101 characters$/,
    },
  },
  { exercise: '02', impl: 'reference', lost: {} },
  {
    exercise: '02',
    impl: 'fixtures/missing-edge',
    lost: {
      4: /^missing the arrow orders --> notification: .*the playground saw orders call POST \/send on notification/,
    },
  },
  { exercise: '03', impl: 'reference', lost: {} },
  { exercise: '03', impl: '../fixtures/learner-orders', lost: {} },
  {
    exercise: '03',
    impl: 'fixtures/never-reserves',
    lost: {
      3: /^orders never asked inventory to reserve the stock: item \S+ still has 5 \(its calls to inventory: GET \/stock\/\S+ -> 200\); meanwhile your service called: GET \/users\/\S+ on user -> 200, GET \/stock\/\S+ on inventory -> 200/,
      4: /^5 orders at once for an item with 2 in stock: 5 succeeded and 2 are left; expected 2 and 0/,
    },
  },
  { exercise: '04', impl: 'reference', lost: {} },
  {
    exercise: '04',
    impl: 'fixtures/fails-without-notification',
    lost: {
      1: /^POST \/order\?\S+ answered 503 \{"detail":"notification unavailable"\}; expected 201 or 200: a closed notification shop must not stop the sale/,
      2: /^the order placed while notification was down was refused \(503\), so there was nothing to deliver later/,
    },
  },
  { exercise: '05', impl: 'reference', lost: {} },
  {
    exercise: '05',
    impl: 'fixtures/shared-data-file',
    teacher: true,
    // The kit's store holds its data file for one process: whichever of user and inventory comes second (at the
    // start, or when a task restarts one) refuses to start and loses its tasks, and orders' (which needs both).
    lost: { 3: HELD, 5: HELD },
    mayLose: { 1: HELD, 2: HELD, 4: HELD },
  },
  { exercise: '06', impl: 'reference', lost: {} },
  {
    exercise: '06',
    impl: 'fixtures/careless',
    lost: {
      1: /^with user hanging \(the playground holds each call to user and never answers\), orders did not answer POST \/order\?\S+: no answer within 8 s .*give every call to user a timeout .*; 2 other checks of this task failed too: .*with inventory hanging.*with notification hanging/,
      2: /^orders tried GET \/users\/\S+ again \d+ ms after user answered 503: wait before each retry, at least 50 ms/,
      3: /^orders sent POST \/reservations to inventory 2 times, try 1 without an Idempotency-Key/,
      5: /^user works again, but orders still answered 503 \{"detail":"service unavailable"\} 10 s later: after a pause of at most 5 s, let one call through/,
      6: /^with every connection to user reset, POST \/order answered 503 \{"detail":"service unavailable"\}; expected a detail that names user.*; 1 other check of this task failed too: .*inventory answering 500/,
    },
  },
  {
    exercise: '06',
    impl: 'fixtures/retry-storm',
    lost: {
      4: /^with every call to user answered 503, 10 orders made 100 calls to user, one order 10; expected at most 4 tries per order/,
      5: /^with every call to user failing, orders 8 to 10 still made 30 calls to user .*: once 5 calls in a row have failed, answer 503 at once without calling \(a circuit breaker\)/,
    },
  },
];

const graded = new Map<(typeof CASES)[number], Graded>();

beforeAll(async () => {
  // Two gradings at a time (two cores), the longest first (exercise 06 waits out timeouts and pauses), so that no
  // long one is left running alone at the end. Our reference stands in for the learner's services only behind
  // --teacher.
  const longestFirst = [...CASES].sort((a, b) => b.exercise.localeCompare(a.exercise));
  await inTurn(longestFirst, 2, async (next) => {
    const teacher = next.impl === 'reference' || next.teacher ? ['--teacher'] : [];
    graded.set(next, await runGrade([next.exercise, '--impl', next.impl, ...teacher]));
  });
}, 600_000);

describe.each(CASES)('npm run grade -- $exercise --impl $impl', (c) => {
  it(`loses exactly tasks [${Object.keys(c.lost)}], each with a hint that names the mistake`, () => {
    const run = graded.get(c) as Graded;
    expect(run.stderr).toBe('');
    const lost = lostTasks(run);
    const keys = (tasks: object) => Object.keys(tasks).map(Number);
    const expected: Record<number, RegExp> = {
      ...c.lost,
      ...Object.fromEntries(Object.entries(c.mayLose ?? {}).filter(([t]) => t in lost)),
    };
    expect(keys(lost), `the hints: ${JSON.stringify(lost)}`).toEqual(keys(expected));
    for (const [task, hint] of Object.entries(expected)) {
      expect(lost[Number(task)]).toMatch(hint);
      expect(run.stdout).toContain(`      hint: ${lost[Number(task)]}`);
    }
  });

  it('exits 0 only on full marks, and writes every report', () => {
    const run = graded.get(c) as Graded;
    const full = Object.keys(c.lost).length === 0;
    expect(run.code).toBe(full ? 0 : 1);
    expect(run.results).toMatchObject({ version: 3, status: full ? 'pass' : 'fail', message: null });
    expect(run.results?.score).toBe(run.tasks?.reduce((sum, t) => sum + t.score, 0));
    expect(run.results?.score === run.results?.max_score).toBe(full);
    for (const test of run.results?.tests ?? []) {
      expect(test).toEqual({
        name: expect.any(String),
        status: expect.stringMatching(/^(pass|fail)$/),
        message: test.status === 'pass' ? null : expect.any(String),
        test_code: expect.stringMatching(/^test\(/),
        task_id: expect.any(Number),
      });
      expect(test.message ?? '', 'paths in hints are relative to the implementation').not.toContain(REPO);
    }
    const junit = readFileSync(join(run.out, 'junit.xml'), 'utf8');
    const [, failures, errors] = /<testsuites [^>]*failures="(\d+)"[^>]*errors="(\d+)"/.exec(junit) ?? [];
    expect([Number(failures), Number(errors)]).toEqual([Object.keys(lostTasks(run)).length, 0]);
    for (const hint of Object.values(lostTasks(run)))
      expect(junit).toContain(`<failure message="${xml(hint)}"`);
    expect(existsSync(join(run.out, 'html', 'index.html'))).toBe(true);
    expect(run.stdout).toMatch(new RegExp(`score +${run.results?.score}/${run.results?.max_score}\\n`));
  });

  it('stops every service it started', async () => {
    const run = graded.get(c) as Graded;
    expect(run.started.length).toBeGreaterThan(0);
    for (const url of run.started) expect(await answers(url)).toBe(false);
  });
});
