import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '@microtown/kit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { keptFolder } from '../../test/support/tidy-scratch.js';
import { REPO } from './exercise.js';
import { answers, lostTasks, runGrade } from './testing.js';

let dir: string;
/** An implementation folder of the test's own, with this implementation.json. */
async function implementation(name: string, services: Record<string, unknown>): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'implementation.json'), JSON.stringify({ services }));
  return folder;
}
const learner = (file: string) => ({
  command: ['node', '--import', 'tsx', join(REPO, 'exercises/01-user-and-inventory/fixtures/learner', file)],
});

beforeAll(async () => {
  dir = await keptFolder('grade-cli');
});

describe('a mistake on the command line is one line and exit code 2, before anything starts', () => {
  const closed = async () => `http://127.0.0.1:${await freePort()}`;
  it.each<[string, () => Promise<string[]>, RegExp]>([
    ['no exercise', async () => [], /^grade: name the exercise to grade, e.g\. npm run grade -- 01$/],
    [
      'an unknown exercise',
      async () => ['99'],
      /^grade: no exercise "99"; exercises: 01-user-and-inventory, 02-call-diagram/,
    ],
    ['two exercises', async () => ['01', '02'], /^grade: unexpected argument "02"/],
    [
      'an unknown option',
      async () => ['01', '--colour'],
      /^grade: unknown option --colour \(npm run grade -- --help\)$/,
    ],
    [
      'a hint level it does not know',
      async () => ['01', '--hints', 'all'],
      /^grade: --hints all: say full, brief or none$/,
    ],
    [
      '--url without =',
      async () => ['01', '--url', 'user'],
      /^grade: --url user: write it as <service>=<baseURL>/,
    ],
    [
      '--url that is not a URL',
      async () => ['01', '--url', 'user=localhost'],
      /^grade: --url user=localhost: "localhost" is not a URL/,
    ],
    [
      '--url with another scheme',
      async () => ['01', '--url', 'user=ftp://127.0.0.1:21'],
      /^grade: --url user=ftp:.*: use an http:\/\/ or https:\/\/ URL$/,
    ],
    [
      '--url for a service the exercise does not grade',
      async () => ['01', '--url', `orders=${await closed()}`],
      /^grade: --url orders=\.\.\.: exercise 01-user-and-inventory grades user and inventory, not "orders"$/,
    ],
    [
      '--url twice for one service',
      async () => ['01', '--url', 'user=http://127.0.0.1:1', '--url', 'user=http://127.0.0.1:2'],
      /^grade: --url user=\.\.\. is given twice$/,
    ],
    [
      '--url for an exercise without services',
      async () => ['02', '--url', `user=${await closed()}`],
      /^grade: exercise 02-call-diagram grades files, not services: drop --url$/,
    ],
    [
      'an unreachable --url',
      async () => ['01', '--url', `user=${await closed()}`],
      /^grade: --url user=http:\/\/127\.0\.0\.1:\d+: nothing answers there \(connection refused\); is the service running\?$/,
    ],
    [
      'an --impl folder that does not exist',
      async () => ['01', '--impl', 'nowhere'],
      /^grade: --impl nowhere: no such folder/,
    ],
  ])(
    '%s',
    async (_, args, message) => {
      const run = await runGrade(await args());
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(/^[^\n]+\n$/);
      expect(run.stderr.trim()).toMatch(message);
    },
    60_000,
  );

  it('an implementation.json that names "town" for a learner service, without --teacher', async () => {
    const folder = await implementation('borrowed', { user: learner('user.ts'), inventory: 'town' });
    const run = await runGrade(['01', '--impl', folder]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^grade: .*borrowed\/implementation\.json names "town" for inventory: that is microtown's own inventory, not your work; .*--teacher\)$/,
    );
  }, 60_000);

  it('--help shows the usage and exits 0', async () => {
    const run = await runGrade(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run grade -- <exercise> \[--url <service>=<baseURL> \.\.\.\]/);
  }, 60_000);
});

describe('an implementation that does not start', () => {
  it('a service left out of implementation.json loses its own tasks, "not submitted"; the other is graded', async () => {
    const folder = await implementation('user-only', { user: learner('user.ts') });
    const run = await runGrade(['01', '--impl', folder]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/inventory +not submitted/);
    const lost = lostTasks(run);
    expect(Object.keys(lost).map(Number)).toEqual([5, 6, 7]);
    for (const hint of Object.values(lost)) {
      expect(hint).toMatch(
        /^not submitted: inventory is not given \(add it to .*user-only\/implementation\.json/,
      );
    }
  }, 60_000);

  it('a service that crashes at start loses its own tasks with its own error line; the other is graded', async () => {
    const folder = await implementation('crashes', {
      user: learner('user.ts'),
      inventory: {
        command: ['node', '-e', 'console.error("Error: Cannot find module ./db"); process.exit(1)'],
      },
    });
    const run = await runGrade(['01', '--impl', folder]);
    expect(run.code).toBe(1);
    const lost = lostTasks(run);
    expect(Object.keys(lost).map(Number)).toEqual([5, 6, 7]);
    expect(lost[5]).toMatch(
      /^inventory \(.*crashes: \S*node -e .*\) exited before it answered: Error: Cannot find module \.\/db/,
    );
    expect(run.results).toMatchObject({ status: 'fail', score: 8, max_score: 14 });
    for (const url of run.started) expect(await answers(url)).toBe(false);
  }, 60_000);

  it('a service that crashes mid-grading: the hint quotes what it printed, paths relative to its folder', async () => {
    const folder = await implementation('crashes-later', {
      user: learner('user.ts'),
      inventory: { command: ['node', 'inventory.cjs'] },
    });
    await writeFile(
      join(folder, 'inventory.cjs'),
      [
        'require("node:http").createServer(() => {',
        '  console.error("Error: boom, the store is gone\\n    at " + __filename + ":2:3");',
        '  process.exit(3);',
        '}).listen(Number(process.env.PORT), process.env.HOST);',
      ].join('\n'),
    );
    const run = await runGrade(['01', '--impl', folder]);
    const hint = lostTasks(run)[5];
    expect(hint).toMatch(
      /^inventory did not answer POST \/items: .*; inventory exited \(code 3\); it printed: Error: boom, the store is gone/,
    );
    expect(hint).toContain(' at inventory.cjs:2:3');
    expect(hint).not.toContain(folder);
    for (const report of ['results.json', 'gradescope.json', 'junit.xml']) {
      expect(readFileSync(join(run.out, report), 'utf8')).not.toContain(folder);
    }
  }, 60_000);

  it('a program that never listens on PORT is told to read PORT, with what it printed', async () => {
    const folder = await implementation('fixed-port', {
      user: learner('user.ts'),
      inventory: { command: ['node', '-e', 'console.log("listening on 8002"); setInterval(() => {}, 1000)'] },
    });
    const run = await runGrade(['01', '--impl', folder], { GRADE_READY_SECONDS: '2' });
    expect(lostTasks(run)[5]).toMatch(
      /did not listen on port \d+ within 2 s: read the port from the PORT environment variable .*; it printed: listening on 8002/,
    );
  }, 60_000);
});

describe('Ctrl-C while grading', () => {
  it('stops every service it started, whole process groups included, and exits 130', async () => {
    const marker = `never-listens-${Date.now()}`;
    const folder = await implementation('slow', {
      user: learner('user.ts'),
      inventory: { command: ['node', '-e', 'setInterval(() => {}, 1000)', marker] },
    });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'exercises/grader/cli.ts', '01', '--impl', folder],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const url = await new Promise<string>((done) => {
      const timer = setInterval(async () => {
        const found = /user +(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
        if (found && (await answers(found))) {
          clearInterval(timer);
          done(found);
        }
      }, 100);
    });
    expect(execFileSync('ps', ['-eo', 'args']).toString()).toContain(marker);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await answers(url)).toBe(false);
    expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(marker);
  }, 60_000);
});
