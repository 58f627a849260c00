import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { keptFolder } from '../../test/support/tidy-scratch.js';
import { EXERCISES, listExercises, REPO } from '../grader/exercise.js';
import { ImplementationFile } from '../grader/implementation.js';
import { writeKit } from './kit.js';

const exec = promisify(execFile);
/** A learner's correct user and inventory, written from exercise 01's README in plain node:http TypeScript. */
const SOLVED_01 = join(REPO, 'exercises/corpus/01-user-and-inventory/node-starter-completed');
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

let dir: string;
beforeAll(async () => {
  dir = await keptFolder('classroom');
});

/** `npm run classroom -- <args>` as a real process. */
async function classroom(args: string[]) {
  return exec('npm', ['run', '-s', 'classroom', '--', ...args], { cwd: REPO }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** The learner's repository of exercise 01, with the learner's solution in place of the starter. */
function solvedRepo(name: string): string {
  const repo = join(dir, name);
  writeKit({ exercise: '01', folder: repo, hints: 'full', grader: 'school/microtown', ref: 'main' });
  for (const file of ['user.ts', 'inventory.ts']) cpSync(join(SOLVED_01, file), join(repo, file));
  return repo;
}

describe('npm run classroom -- <exercise> <folder>: a learner repository', () => {
  it.each(listExercises(EXERCISES))(
    '%s: the starter, README and workflow, and nothing of the answers',
    (folder) => {
      const repo = join(dir, `repo-${folder}`);
      const { files } = writeKit({
        exercise: folder,
        folder: repo,
        hints: 'brief',
        grader: 'school/microtown',
        ref: 'v1',
      });
      expect(files).toContain('README.md');
      expect(files).toContain('.github/workflows/classroom.yml');
      expect(files.filter((f) => /reference|fixtures|corpus|grading\.ts|exercise\.json/.test(f))).toEqual([]);
      const starter = join(EXERCISES, folder, 'starter');
      for (const file of files.filter((f) => !f.includes('/') && !['README.md', '.gitignore'].includes(f))) {
        const own = join(starter, file);
        if (existsSync(own) && file !== 'implementation.json')
          expect(readFileSync(join(repo, file), 'utf8')).toBe(readFileSync(own, 'utf8'));
      }
      // Every command starts a file that is in the repository itself.
      if (files.includes('implementation.json')) {
        const { services } = ImplementationFile.parse(
          JSON.parse(readFileSync(join(repo, 'implementation.json'), 'utf8')),
        );
        expect(Object.keys(services).length).toBeGreaterThan(0);
        for (const spec of Object.values(services)) {
          if (spec === 'town') throw new Error('a starter names "town"');
          const files = spec.command.filter((arg) => /\.(ts|js|py)$/.test(arg));
          expect(files.length).toBeGreaterThan(0);
          for (const file of files) expect(existsSync(join(repo, file)), file).toBe(true);
        }
      }
      const readme = readFileSync(join(repo, 'README.md'), 'utf8');
      expect(readme).toContain(readFileSync(join(EXERCISES, folder, 'README.md'), 'utf8'));
      expect(readme).toContain(`npm run grade -- ${folder.slice(0, 2)} --impl ../<this folder>`);
      const workflow = parse(readFileSync(join(repo, '.github/workflows/classroom.yml'), 'utf8'));
      const job = workflow.jobs['run-autograding-tests'];
      expect(job.env).toMatchObject({ EXERCISE: folder, HINTS: 'brief' });
      expect(job.steps[0]).toMatchObject({
        uses: 'actions/checkout@v4',
        with: { repository: 'school/microtown', ref: 'v1', path: 'microtown' },
      });
      expect(job.steps[1]).toMatchObject({ with: { path: `microtown/${job.env.SUBMISSION}` } });
    },
  );

  it('exercise 04 starts from 03 orders: the file is copied in and its command rewritten', () => {
    const repo = join(dir, 'repo-04-check');
    writeKit({ exercise: '04', folder: repo, hints: 'full', grader: 'school/microtown', ref: 'main' });
    const { services } = JSON.parse(readFileSync(join(repo, 'implementation.json'), 'utf8'));
    expect(services.orders.command).toEqual(['node', '--import', 'tsx', 'orders.ts']);
    expect(readFileSync(join(repo, 'orders.ts'), 'utf8')).toBe(
      readFileSync(join(EXERCISES, '03-orders-flow/starter/orders.ts'), 'utf8'),
    );
    expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies.tsx).toMatch(
      /^\d+\.\d+\.\d+$/,
    );
  });

  it('refuses a folder that is not empty, an unknown exercise and a hint level it does not know, in one line', async () => {
    const full = join(dir, 'not-empty');
    mkdirSync(full, { recursive: true });
    writeFileSync(join(full, 'keep.txt'), 'mine');
    for (const [args, reason] of [
      [
        ['01', full],
        /^classroom: .*not-empty is not empty; name a new folder, nothing there is overwritten\n$/,
      ],
      [['09', join(dir, 'x')], /^classroom: no exercise "09"; exercises: 01-user-and-inventory/],
      [['01', join(dir, 'y'), '--hints', 'some'], /^classroom: --hints some: say full, brief or none\n$/],
      [['01'], /^classroom: name the exercise and the folder/],
    ] as const) {
      const run = await classroom([...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(reason);
    }
    expect(readFileSync(join(full, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe("the learner repository's workflow", () => {
  const steps = (repo: string) =>
    parse(readFileSync(join(repo, '.github/workflows/classroom.yml'), 'utf8')).jobs['run-autograding-tests']
      .steps as {
      id?: string;
      name?: string;
      run?: string;
    }[];

  it('its Grade step grades the repository with its hint level, and its points step feeds the Classroom reporter', async () => {
    const repo = solvedRepo('solved-workflow');
    const report = join(dir, 'workflow-report');
    const grade = steps(repo).find((s) => s.name === 'Grade')?.run ?? 'false';
    // The step runs in the grader's folder with the learner's repository inside it; here the repository's path is absolute.
    await exec('bash', ['-eo', 'pipefail', '-c', grade], {
      cwd: REPO,
      env: {
        ...process.env,
        EXERCISE: '01-user-and-inventory',
        HINTS: 'full',
        SUBMISSION: repo,
        REPORT: report,
      },
    });
    expect(JSON.parse(readFileSync(join(report, 'results.json'), 'utf8'))).toMatchObject({
      status: 'pass',
      score: 14,
    });
    expect(readFileSync(`${report}.txt`, 'utf8')).toMatch(/score +14\/14/);

    const output = join(dir, 'github-output');
    await writeFile(output, '');
    const points = steps(repo).find((s) => s.id === 'points')?.run ?? 'false';
    await exec('bash', ['-eo', 'pipefail', '-c', points], {
      cwd: REPO,
      env: { ...process.env, GITHUB_OUTPUT: output, REPORT: report },
    });
    const encoded = /^result=(.+)$/m.exec(await readFile(output, 'utf8'))?.[1] ?? '';
    const payload = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    expect(payload).toMatchObject({ version: 1, status: 'pass', max_score: 14 });
    expect(payload.tests).toHaveLength(7);
    expect(payload.tests[0]).toMatchObject({
      name: '1. POST /users creates a user',
      status: 'pass',
      score: 2,
    });
  }, 120_000);
});

describe('Gradescope: setup.sh and run_autograder in a temporary /autograder', () => {
  /** /autograder as Gradescope lays it out: source/ (the uploaded zip), submission/, and run_autograder copied up. */
  function autograder(name: string, submission: string, hints: 'full' | 'brief' | 'none' = 'full') {
    const root = join(dir, name);
    writeKit({
      exercise: '01',
      folder: join(root, 'kit'),
      hints,
      grader: 'school/microtown',
      ref: 'main',
      gradescope: join(root, 'source'),
    });
    symlinkSync(join(REPO, 'node_modules'), join(root, 'source', 'microtown', 'node_modules'));
    cpSync(submission, join(root, 'submission'), { recursive: true });
    cpSync(join(root, 'source', 'run_autograder'), join(root, 'run_autograder'));
    return root;
  }
  const env = (root: string) => ({ ...process.env, AUTOGRADER_ROOT: root, PYTHON });

  it('setup.sh finds what it needs; run_autograder writes results/results.json with the points per task', async () => {
    const root = autograder('autograder-solved', solvedRepo('solved-gradescope'));
    const setup = await exec('bash', [join(root, 'source', 'setup.sh')], { env: env(root) });
    expect(setup.stdout).toMatch(
      /setup: Node v20\.\S+ is there\nsetup: the grader's packages are there\nsetup: Chromium is there/,
    );
    await exec(join(root, 'run_autograder'), [], { env: env(root) });
    const results = JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8'));
    expect(results).toMatchObject({ score: 14, output: '14/14 points' });
    expect(results.tests).toHaveLength(7);
    expect(
      results.tests.every(
        (t: { status: string; max_score: number }) => t.status === 'passed' && t.max_score === 2,
      ),
    ).toBe(true);
  }, 180_000);

  it("the starter as it is loses its tasks with the teacher's hint level; a broken submission scores 0 with the reason", async () => {
    const starter = join(dir, 'starter-01');
    writeKit({ exercise: '01', folder: starter, hints: 'full', grader: 'school/microtown', ref: 'main' });
    const root = autograder('autograder-starter', starter, 'brief');
    await exec(join(root, 'run_autograder'), [], { env: env(root) });
    const results = JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8'));
    expect(results.score).toBe(0);
    expect(results.tests[0]).toMatchObject({
      status: 'failed',
      output: expect.stringMatching(/^POST \/users .*answered 404/),
    });
    for (const test of results.tests) expect(test.output).not.toMatch(/to repeat it|expected/);

    const broken = autograder('autograder-broken', starter);
    writeFileSync(join(broken, 'submission', 'implementation.json'), '{"services": ');
    await exec(join(broken, 'run_autograder'), [], { env: env(broken) });
    expect(JSON.parse(readFileSync(join(broken, 'results', 'results.json'), 'utf8'))).toMatchObject({
      score: 0,
      output: expect.stringMatching(/^not graded: .*implementation\.json/),
      tests: [],
    });
  }, 180_000);
});

describe('Exercism: bin/run.sh <slug> <solution> <output>', () => {
  it('writes results.json version 3 with each test code and exits 0, whatever the grade', async () => {
    const output = join(dir, 'exercism-out');
    const run = await exec(join(REPO, 'bin', 'run.sh'), [
      'user-and-inventory',
      solvedRepo('solved-exercism'),
      output,
    ]);
    expect(run.stdout).toBe('');
    const results = JSON.parse(readFileSync(join(output, 'results.json'), 'utf8'));
    expect(results).toMatchObject({ version: 3, status: 'pass', score: 14 });
    for (const test of results.tests) expect(test.test_code).toMatch(/^test\('/);

    const nothing = join(dir, 'exercism-empty');
    mkdirSync(nothing);
    await exec(join(REPO, 'bin', 'run.sh'), ['no-such-exercise', nothing, join(dir, 'exercism-out-2')]);
    expect(JSON.parse(readFileSync(join(dir, 'exercism-out-2', 'results.json'), 'utf8'))).toEqual({
      version: 3,
      status: 'error',
      message: expect.stringMatching(/^no exercise "no-such-exercise"; exercises: 01-user-and-inventory/),
      tests: [],
    });
  }, 120_000);
});
