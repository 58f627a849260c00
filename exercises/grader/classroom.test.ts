import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findExercise, REPO } from './exercise.ts';
import { loadImplementation } from './implementation.ts';
import { runGrade } from './testing.ts';

const exec = promisify(execFile);

interface Step {
  id?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

describe('.github/workflows/classroom.yml', () => {
  const workflow = parse(readFileSync(join(REPO, '.github/workflows/classroom.yml'), 'utf8'));
  const job = workflow.jobs['run-autograding-tests'];
  const steps: Step[] = job.steps;

  it('grades the exercise and implementation it names, with npm run grade', () => {
    const exercise = findExercise(job.env.EXERCISE);
    expect(loadImplementation(exercise, job.env.IMPL).dir).toBe(join(exercise.dir, job.env.IMPL));
    expect(
      steps.some((s) => s.run?.startsWith('npm run grade -- "$EXERCISE" --impl "$IMPL" --out grade-report')),
    ).toBe(true);
    const reporter = steps.find((s) =>
      s.uses?.startsWith('classroom-resources/autograding-grading-reporter'),
    );
    expect(reporter?.with?.runners).toBe('points');
    expect(reporter?.env?.POINTS_RESULTS).toBe(`\${{ steps.points.outputs.result }}`);
  });

  it("its points step turns a real report into the reporter's payload, points per task", async () => {
    const graded = await runGrade(['01', '--impl', 'fixtures/wrong-status']);
    const dir = await mkdtemp(join(REPO, '.tmp', 'classroom-'));
    await exec('cp', ['-r', graded.out, join(dir, 'grade-report')]);
    const output = join(dir, 'github-output');
    await writeFile(output, '');
    const points = steps.find((s) => s.id === 'points');
    await exec('bash', ['-eo', 'pipefail', '-c', points?.run ?? 'false'], {
      cwd: dir,
      env: { ...process.env, GITHUB_OUTPUT: output },
    });
    const encoded = /^result=(.+)$/m.exec(await readFile(output, 'utf8'))?.[1] ?? '';
    const payload = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    expect(payload).toMatchObject({ version: 1, status: 'fail', max_score: 14 });
    expect(payload.tests).toHaveLength(7);
    expect(payload.tests[0]).toMatchObject({
      name: '1. POST /users creates a user',
      status: 'fail',
      score: 0,
      message: expect.stringMatching(/answered 200/),
    });
    expect(payload.tests[1]).toMatchObject({ status: 'pass', score: 2 });
    expect(payload.tests.reduce((sum: number, t: { score: number }) => sum + t.score, 0)).toBe(10);
  }, 120_000);
});
