import { describe, expect, it } from 'vitest';
import { exercismResults, formatTable, gradescopeResults, scoreTasks, type TestOutcome } from './score.ts';

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
const fail = (task_id: number, message: string): TestOutcome => ({
  name: 'x',
  status: 'fail',
  message,
  task_id,
});

describe('scoreTasks', () => {
  it('gives a task its points only when all its tests pass, with the first failure as its hint', () => {
    const tests = [pass(1), fail(2, 'first'), fail(2, 'second'), pass(2), pass(3)];
    expect(scoreTasks(tasks, tests)).toEqual([
      { id: 1, title: 'create', points: 2, earned: 2, hint: undefined },
      { id: 2, title: 'validate', points: 3, earned: 0, hint: 'first' },
      { id: 3, title: 'read', points: 1, earned: 1, hint: undefined },
    ]);
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
