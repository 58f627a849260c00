import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Browser specs (*.spec.ts) belong to Playwright; generated scratch projects live in .tmp/.
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.tmp/**', '**/data/**', '**/dist/**'],
    // Removes the grade reports and classroom kits the tests leave in .tmp/, once all have run.
    // (An absolute path: scratch towns' own runs load this config with another root, and must not tidy.)
    globalSetup: [fileURLToPath(new URL('./test/support/tidy-scratch.ts', import.meta.url))],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
