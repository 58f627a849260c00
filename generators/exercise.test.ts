import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test/support/run-main.js';
import { main } from './cli.js';
import { generate, REPO } from './run.js';

const exec = promisify(execFile);
const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);

// A project in the git-ignored .tmp/, with the real grader linked in, as exercises/grader is beside every exercise.
let root: string;
const folder = () => join(root, 'exercises', '07-rate-limits');

async function files(dir: string, under = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, under), { withFileTypes: true })) {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) out.push(...(await files(dir, path)));
    else out.push(path);
  }
  return out.sort();
}

async function snapshot(): Promise<Record<string, string>> {
  const dir = join(root, 'exercises');
  const out: Record<string, string> = {};
  for (const path of await files(dir)) out[path] = await readFile(join(dir, path), 'utf8');
  return out;
}

const cli = (...argv: string[]) => runMain(main, root, argv);

beforeAll(async () => {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  root = await mkdtemp(join(REPO, '.tmp', 'exercise-generator-'));
  await mkdir(join(root, 'exercises'));
  await symlink(join(REPO, 'exercises', 'grader'), join(root, 'exercises', 'grader'));
  await generate('exercise', ['7', 'rate-limits'], { root });
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('npm run generate exercise', () => {
  it('writes the README task, the config, the grading spec, a reference and a starter', async () => {
    expect(await files(folder())).toEqual([
      'README.md',
      'exercise.json',
      'grading.ts',
      'reference/implementation.json',
      'starter/implementation.json',
      'starter/server.ts',
    ]);
    expect(JSON.parse(await readFile(join(folder(), 'exercise.json'), 'utf8'))).toMatchObject({
      title: 'Rate limits',
      tasks: [{ title: 'GET /health answers 200', points: 1 }],
    });
    expect(await readFile(join(folder(), 'README.md'), 'utf8')).toMatch(
      /^# Exercise 07: Rate limits\n[\s\S]*## 1\. /,
    );
  });

  it('is not a new service: no workspace to link, so no npm install after it', async () => {
    const result = await generate('exercise', ['9', 'timeouts'], { root });
    expect(result).toMatchObject({ written: true, createdService: false });
    expect((await generate('service', ['depot', '4711'], { root })).createdService).toBe(true);
  });

  it('is graded from its first run: full marks on the skeleton, for the reference and the starter', async () => {
    const grade = (...extra: string[]) =>
      exec(bin('tsx'), [
        join(REPO, 'exercises/grader/cli.ts'),
        '07',
        '--exercises',
        join(root, 'exercises'),
        '--out',
        join(root, `report${extra.length}`),
        ...extra,
      ]);
    // The default is the starter; our reference stands in for the learner's user only behind --teacher.
    const [starter, reference] = await Promise.all([grade(), grade('--impl', 'reference', '--teacher')]);
    for (const run of [reference, starter])
      expect(run.stdout).toMatch(/✓ 1\. GET \/health answers 200 +1\/1/);
    const results = JSON.parse(await readFile(join(root, 'report0', 'results.json'), 'utf8'));
    expect(results).toMatchObject({ version: 3, status: 'pass', score: 1, max_score: 1 });
  }, 60_000);

  it('type-checks and passes biome', async () => {
    await writeFile(
      join(root, 'tsconfig.json'),
      JSON.stringify({ extends: join(REPO, 'tsconfig.json'), include: ['exercises/07-rate-limits'] }),
    );
    await exec(bin('tsc'), ['--noEmit', '-p', root], { cwd: root });
    await exec(bin('biome'), ['check', '--vcs-enabled=false', `--config-path=${REPO}`, folder()]);
  }, 60_000);

  it('refuses a second run, a taken number and bad input in one line, and writes nothing', async () => {
    const before = await snapshot();
    const cases: [string[], number, RegExp][] = [
      [
        ['exercise', '07', 'rate-limits'],
        1,
        /exercise 07 exists already \(exercises\/07-rate-limits\); --force/,
      ],
      [
        ['exercise', '7', 'retries'],
        1,
        /exercise 07 exists already \(exercises\/07-rate-limits\); pick another number/,
      ],
      [['exercise'], 1, /missing exercise number/],
      [['exercise', '08'], 1, /missing exercise name/],
      [['exercise', '100', 'x'], 1, /invalid exercise number "100": use 01 to 99/],
      [['exercise', '00', 'x'], 1, /invalid exercise number "00"/],
      [['exercise', 'seven', 'x'], 1, /invalid exercise number/],
      [
        ['exercise', '08', 'Rate_Limits'],
        1,
        /invalid exercise name "Rate_Limits": use lower kebab-case.*e\.g\. rate-limits/,
      ],
      [['exercise', '08', 'x', 'y'], 1, /unexpected argument "y"/],
    ];
    for (const [argv, code, message] of cases) {
      expect(await cli(...argv)).toEqual({ code, out: [], err: [expect.stringMatching(message)] });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('--force regenerates its files; --dry-run writes nothing', async () => {
    await writeFile(join(folder(), 'grading.ts'), '// hand-broken\n');
    expect((await cli('exercise', '07', 'rate-limits', '--force')).code).toBe(0);
    expect(await readFile(join(folder(), 'grading.ts'), 'utf8')).toContain('task(1, () => {');
    const before = await snapshot();
    const dry = await cli('exercise', '08', 'retries', '--dry-run');
    expect(dry.out[0]).toMatch(/^dry run: exercise 08 retries would write 6 files in exercises\/08-retries/);
    expect(await snapshot()).toEqual(before);
  });
});
