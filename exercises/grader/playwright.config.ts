// The grader's own Playwright project: `npm run grade` runs it with the environment below. Its specs are the
// exercises' `grading.ts` files, which neither the root Playwright config nor vitest collects.
import { join, resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../playground/e2e/find-chromium.js';
import { loadExercise } from './exercise.js';

const dir = process.env.GRADE_EXERCISE;
if (!dir) throw new Error('grader: run it with npm run grade -- <exercise>, which sets GRADE_EXERCISE');
const exercise = loadExercise(dir);
const out = resolve(process.env.GRADE_OUT ?? 'grade-report');

/** Only exercises with browser checks need Chromium; their checks fail with the reason when there is none. */
function chromium(): string | undefined {
  try {
    return findChromium();
  } catch {
    return undefined;
  }
}

export default defineConfig({
  testDir: exercise.dir,
  testMatch: 'grading.ts',
  timeout: exercise.config.timeoutSeconds * 1000,
  globalTimeout: 10 * 60_000,
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  outputDir: join(process.env.GRADE_TMP ?? out, 'test-results'),
  reporter: [
    [join(import.meta.dirname, 'reporter.ts')],
    ['html', { outputFolder: join(out, 'html'), open: 'never' }],
  ],
  use: {
    headless: true,
    launchOptions: { executablePath: chromium(), args: CHROMIUM_ARGS },
  },
});
