import { describe, expect, it } from 'vitest';
import { junitReport } from './reports.js';
import {
  atLevel,
  exercismResults,
  formatTable,
  gradescopeResults,
  reveal,
  scoreTasks,
  type TestOutcome,
} from './score.js';

const tasks = [
  { title: 'create', points: 2 },
  { title: 'validate', points: 3 },
  { title: 'read', points: 1 },
];
const pass = (task_id: number, name = `t${task_id}`): TestOutcome => ({
  name,
  status: 'pass',
  message: null,
  task_id,
});
const fail = (task_id: number, message: string, name = 'x'): TestOutcome => ({
  name,
  status: 'fail',
  message,
  task_id,
});

describe('scoreTasks', () => {
  it('gives a task its points only when all its tests pass, with the first failure as its hint', () => {
    const tests = [pass(1), fail(2, 'first'), pass(2), pass(3)];
    expect(scoreTasks(tasks, tests)).toEqual([
      { id: 1, title: 'create', points: 2, earned: 2, hint: undefined },
      { id: 2, title: 'validate', points: 3, earned: 0, hint: 'first' },
      { id: 3, title: 'read', points: 1, earned: 1, hint: undefined },
    ]);
  });

  it("counts and names the task's other failing checks after the first one's hint", () => {
    const tests = [fail(2, 'first', 'a'), fail(2, 'second', 'b'), pass(2), fail(2, 'third', 'c')];
    expect(scoreTasks(tasks, tests)[1]?.hint).toBe('first; 2 other checks of this task failed too: "b", "c"');
  });

  it('a task no test checks earns nothing, and says so (or why nothing ran)', () => {
    expect(scoreTasks(tasks, [pass(1), pass(2)])[2]).toMatchObject({
      earned: 0,
      hint: 'no test checks this task',
    });
    expect(scoreTasks(tasks, [], 'user did not start')[0]).toMatchObject({
      earned: 0,
      hint: 'user did not start',
    });
  });
});

describe('the reports', () => {
  const tests = [pass(1), fail(2, 'POST /items answered 201; expected 422'), pass(3)];
  const scores = scoreTasks(tasks, tests);

  it('results.json is Exercism v3 with score and max_score', () => {
    expect(exercismResults(scores, tests)).toEqual({
      version: 3,
      status: 'fail',
      message: null,
      tests,
      score: 3,
      max_score: 6,
    });
    const all = [pass(1), pass(2), pass(3)];
    expect(exercismResults(scoreTasks(tasks, all), all)).toMatchObject({ status: 'pass', score: 6 });
    expect(exercismResults(scoreTasks(tasks, [], 'boom'), [], 'boom')).toMatchObject({
      status: 'error',
      message: 'boom',
      tests: [],
      score: 0,
    });
  });

  it('gradescope.json has one test per task with its points', () => {
    expect(gradescopeResults(scores)).toMatchObject({
      score: 3,
      tests: [
        { name: '1. create', number: '1', score: 2, max_score: 2, status: 'passed', output: '' },
        {
          name: '2. validate',
          number: '2',
          score: 0,
          max_score: 3,
          status: 'failed',
          output: 'POST /items answered 201; expected 422',
        },
        { name: '3. read', number: '3', score: 1, max_score: 1, status: 'passed' },
      ],
    });
  });

  it('the table has a row per task, the hint under the one that lost its points, and the score', () => {
    expect(formatTable(scores)).toEqual([
      '    task         points',
      '  ✓ 1. create       2/2',
      '  ✗ 2. validate     0/3',
      '      hint: POST /items answered 201; expected 422',
      '  ✓ 3. read         1/1',
      '    score           3/6',
    ]);
    expect(formatTable(scoreTasks(tasks, [], 'boom'), 'boom')[0]).toBe('  not graded: boom');
  });
});

describe('hint levels', () => {
  const hint =
    'no email: POST /users with {"name":"Ada"} answered 201 {"id":"3"}; expected 422 with FastAPI\'s body ' +
    '(to repeat it: curl -i -X POST \'http://127.0.0.1:1/users\' -d \'{"name":"Ada"}\'); 2 other cases of this ' +
    'check failed too: no name, an empty name; meanwhile your service called: GET user /users/1 -> 200';

  it('full tells everything; brief what was sent and came back, and how many other cases failed; none only which check', () => {
    expect(reveal(hint, 'full', 'check')).toBe(hint);
    expect(reveal(hint, 'brief', 'check')).toBe(
      'no email: POST /users with {"name":"Ada"} answered 201 {"id":"3"}; 2 other cases of this check failed too: no name, an empty name',
    );
    expect(reveal(hint, 'none', 'invalid users are refused')).toBe('"invalid users are refused" failed');
    expect(
      reveal('GET /users/1 answered 500 (to repeat it: curl -i http://127.0.0.1:1/users/1)', 'brief', 'c'),
    ).toBe('GET /users/1 answered 500');
  });

  it('applies to every message of the reports, and leaves passed tests alone', () => {
    const tests = [pass(1), fail(2, hint, 'invalid users')];
    expect(atLevel(tests, 'none')).toEqual([
      pass(1),
      { ...fail(2, hint, 'invalid users'), message: '"invalid users" failed' },
    ]);
  });
});

describe('junit.xml', () => {
  const config = { title: 'Two <shops>', tasks };
  const tests = [pass(1), fail(2, 'POST /items answered 201 & "ok"; expected 422'), pass(3)];

  it('is one test case per task; a task that lost its points is a <failure> whose message is the hint', () => {
    const xml = junitReport(config as never, scoreTasks(tasks, tests), { seconds: new Map([[2, 1.25]]) });
    expect(xml).toContain('<testsuites name="Two &lt;shops&gt;" tests="3" failures="1" errors="0"');
    expect(xml).toContain('<testcase name="1. create" classname="Two &lt;shops&gt;" time="0.000"/>');
    expect(xml).toContain(
      '<failure message="POST /items answered 201 &amp; &quot;ok&quot;; expected 422" type="0/3 points">',
    );
    expect(xml).toMatch(/<testcase name="2. validate" [^>]*time="1.250">/);
  });

  it('a timeout is a failure with its hint too; nothing graded at all is an <error> on every task', () => {
    const timedOut = [
      fail(1, 'no answer within 10 s, the time limit of each check (waiting for POST /users)'),
    ];
    expect(junitReport(config as never, scoreTasks(tasks, timedOut))).toContain(
      '<failure message="no answer within 10 s, the time limit of each check (waiting for POST /users)"',
    );
    const none = junitReport(config as never, scoreTasks(tasks, [], 'boom'), { error: 'boom' });
    expect(none).toContain('tests="3" failures="0" errors="3"');
    expect(none.match(/<error message="boom"/g)).toHaveLength(3);
  });
});
