import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Browser specs (*.spec.ts) belong to Playwright; generated scratch projects live in .tmp/.
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.tmp/**', '**/data/**', '**/dist/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
