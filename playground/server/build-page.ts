import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The page's sources: what `vite build` turns into web/dist. */
export const WEB_DIR = join(import.meta.dirname, '..', 'web');

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? await newestSource(path) : (await stat(path)).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

/** Builds the page with vite unless web/dist is newer than every source; returns the folder to serve. */
export async function buildPage(log: (line: string) => void = () => {}): Promise<string> {
  const dist = join(WEB_DIR, 'dist');
  const built = await stat(join(dist, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (built > (await newestSource(WEB_DIR))) return dist;
  log('building the page (vite)...');
  const { build } = await import('vite');
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
  return dist;
}
