import { join } from 'node:path';
import { defineConfig } from 'vite';

const playground = process.env.PLAYGROUND_URL ?? 'http://127.0.0.1:4000';

/** `vite build` writes dist/, which the playground serves; `vite` alone serves the page against a running playground. */
export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    // mermaid is large and loaded once; its diagram types come in chunks on demand.
    chunkSizeWarningLimit: 3000,
    // Without an explicit input, vite 8 looks for index.html relative to the working folder.
    rolldownOptions: { input: join(import.meta.dirname, 'index.html') },
  },
  server: { proxy: { '/svc': playground, '/api': playground } },
});
