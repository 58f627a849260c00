import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Browser specs (*.spec.ts) belong to Playwright; generated scratch projects live in .tmp/.
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.tmp/**', '**/data/**', '**/dist/**'],
    // Two files at a time even on two cores (vitest would run one): most of the suite waits on child processes,
    // servers and the disk, so the second file fills those waits (about 570 s instead of 720-830 s here).
    maxWorkers: 2,
    // Removes the grade reports and classroom kits the tests leave in .tmp/, once all have run.
    // (An absolute path: scratch towns' own runs load this config with another root, and must not tidy.)
    globalSetup: [fileURLToPath(new URL('./test/support/tidy-scratch.ts', import.meta.url))],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
