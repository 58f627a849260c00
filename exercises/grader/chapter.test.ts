import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type Child, freePort, spawnChild } from '@microtown/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXERCISES, REPO } from './exercise.js';
import { answers, lostTasks, runGrade } from './testing.js';

// The chapter's own four FastAPI services (peers/chapter-fastapi, verbatim), graded like any learner's.
// They need Python with FastAPI: Debian's python3-fastapi python3-uvicorn python3-requests, or PYTHON=<interpreter>.
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
const CHAPTER = join(REPO, 'peers', 'chapter-fastapi');
const IMPLEMENTATION = join(EXERCISES, 'fixtures', 'chapter-fastapi');
const running: Child[] = [];

async function uvicorn(module: string): Promise<string> {
  const port = await freePort();
  const child = spawnChild(PYTHON, ['-m', 'uvicorn', '--host', '127.0.0.1', '--port', String(port), module], {
    cwd: CHAPTER,
  });
  running.push(child);
  await child.waitFor(/Uvicorn running|Application startup complete/, 20_000);
  return `http://127.0.0.1:${port}`;
}

beforeAll(() => {
  try {
    execFileSync(PYTHON, ['-c', 'import fastapi, uvicorn, requests']);
  } catch {
    throw new Error(
      `${PYTHON} has no FastAPI: apt-get install -y python3-fastapi python3-uvicorn python3-requests, or set PYTHON`,
    );
  }
});
afterAll(() => Promise.all(running.map((child) => child.stop())));

describe("the chapter's FastAPI services", () => {
  it('exercise 01 with --url: every task lost, each for the reason docs/exercises.md gives', async () => {
    const [user, inventory] = await Promise.all([
      uvicorn('user_service:app'),
      uvicorn('inventory_service:app'),
    ]);
    const run = await runGrade(['01', '--url', `user=${user}`, '--url', `inventory=${inventory}`]);
    expect(run.code).toBe(1);
    expect(lostTasks(run)).toEqual({
      1: expect.stringMatching(/^POST \/users answered 404 \{"detail":"Not Found"\}; expected 201/),
      2: expect.stringMatching(
        /^no email: POST \/users with \{"name":"Ada"\} answered 404 \{"detail":"Not Found"\}; expected 422 .*; 4 other cases of this check failed too: an invalid email, no name, an empty name, a name of 101 characters$/,
      ),
      3: expect.stringMatching(/^could not create a user: POST \/users with .+ answered 404/),
      4: expect.stringMatching(
        /^GET \/users\/no-such-id-4242 answered 200 \{"error":"Not found"\}; expected 404/,
      ),
      5: expect.stringMatching(/^POST \/items answered 404 \{"detail":"Not Found"\}; expected 201/),
      6: expect.stringMatching(
        /^a negative stock: POST \/items with \{"name":"lamp","stock":-1\} answered 404 .*; 4 other cases of this check failed too/,
      ),
      7: expect.stringMatching(/^could not create an item: POST \/items with .+ answered 404/),
    });
    expect(run.stdout).toMatch(/user +http:\/\/127\.0\.0\.1:\d+ +\(--url\)/);
    // Services given with --url are not the grader's to stop.
    expect(await answers(user)).toBe(true);
  }, 120_000);

  it('exercise 03, their orders against our town: never reserves, 200 for errors, no id, no x-caller', async () => {
    const run = await runGrade(['03', '--impl', IMPLEMENTATION]);
    expect(run.code).toBe(1);
    expect(lostTasks(run)).toEqual({
      2: expect.stringMatching(
        /^POST \/order\?user_id=\S+ answered 200 \{"message":"Order successful"\}; expected 404/,
      ),
      3: expect.stringMatching(
        /^orders never asked inventory to reserve the stock: item \S+ still has 5 \(its calls to inventory: GET \/stock\/\S+ -> 200\)/,
      ),
      4: expect.stringMatching(/^POST \/order\?\S+ answered 200 \{"error":"Out of stock"\}; expected 409/),
      6: expect.stringMatching(
        /answered \{"message":"Order successful"\}: no "id" to read the order back with/,
      ),
      7: expect.stringMatching(
        /^the diagram does not show orders --> user: its calls to user have no x-caller header/,
      ),
    });
  }, 120_000);
});
