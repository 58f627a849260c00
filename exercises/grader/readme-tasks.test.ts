import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXERCISES, listExercises, loadExercise } from './exercise.js';

const PLAYWRIGHT = createRequire(import.meta.url).resolve('@playwright/test/cli');
const CONFIG = join(import.meta.dirname, 'playwright.config.ts');

/** `## 3. GET /users/{id} returns the user` -> [3, 'GET /users/{id} returns the user'] */
const readmeTasks = (dir: string) =>
  [...readFileSync(join(dir, 'README.md'), 'utf8').matchAll(/^## (\d+)\. (.+)$/gm)].map(
    ([, n, title]) => [Number(n), (title ?? '').trim()] as const,
  );

/** The task describe blocks the grading spec really defines, as Playwright lists them. */
async function specTasks(dir: string): Promise<number[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [PLAYWRIGHT, 'test', '--list', '--config', CONFIG, '--reporter=list'],
    { env: { ...process.env, GRADE_EXERCISE: dir }, timeout: 60_000 },
  );
  return [...new Set([...stdout.matchAll(/› (\d+)\. /g)].map(([, n]) => Number(n)))].sort((a, b) => a - b);
}

describe.each(listExercises())(
  'exercise %s: README, exercise.json and checks name the same tasks',
  (folder) => {
    const dir = join(EXERCISES, folder);
    const { config } = loadExercise(dir);

    it('every task of exercise.json is a "## n. Title" of the README, in order, with its title', () => {
      const readme = readmeTasks(dir);
      expect(readme.map(([n]) => n)).toEqual(config.tasks.map((_, i) => i + 1));
      readme.forEach(([, title], i) => {
        expect(title.toLowerCase()).toBe(config.tasks[i]?.title.toLowerCase());
      });
    });

    it('the grading spec checks every task, and no other', async () => {
      expect(await specTasks(dir)).toEqual(config.tasks.map((_, i) => i + 1));
    }, 60_000);

    it('the README states the time each answer has', () => {
      if (config.services.length === 0) return;
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      expect(readme).toContain(`within **${config.answerSeconds} s**`);
    });
  },
);
