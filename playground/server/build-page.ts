import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The page's sources: what `vite build` turns into web/dist. */
export const WEB_DIR = join(import.meta.dirname, '..', 'web');

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('dist') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? await newestSource(path) : (await stat(path)).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

const builtAt = (dist: string) =>
  stat(join(dist, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );

/** Builds the page with vite unless web/dist is newer than every source; returns the folder to serve. */
export async function buildPage(log: (line: string) => void = () => {}): Promise<string> {
  const dist = join(WEB_DIR, 'dist');
  if ((await builtAt(dist)) > (await newestSource(WEB_DIR))) return dist;
  log('building the page (vite)...');
  const { build } = await import('vite');
  // Built aside, then moved in place: a second start building at the same time never serves half a page.
  const aside = `${dist}.${process.pid}.${Date.now()}`;
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir: aside } });
  await rm(dist, { recursive: true, force: true });
  await rename(aside, dist).catch(async (error) => {
    await rm(aside, { recursive: true, force: true });
    if (!(await builtAt(dist))) throw error;
  });
  return dist;
}
