import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './playground/e2e/find-chromium.js';

const executablePath = (() => {
  try {
    return findChromium();
  } catch (error) {
    console.error(`playwright: ${(error as Error).message}`);
    process.exit(1);
  }
})();

/** Browser tests (`npx playwright test`, part of `npm test`): real Chromium against real servers on free ports. */
export default defineConfig({
  projects: [{ name: 'playground', testDir: 'playground', testMatch: '**/*.spec.ts' }],
  globalSetup: './playground/e2e/global-setup.ts',
  // The machine is small and each worker starts a whole town.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
    viewport: { width: 1440, height: 1000 },
    trace: 'retain-on-failure',
  },
});
