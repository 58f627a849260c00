import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..', '..');
const SCRATCH = join(REPO, '.tmp');
const PREFIX = 'kept-';

/**
 * A fresh folder in the repository's git-ignored .tmp/ (so `@microtown/kit` and the generators resolve from it), for
 * what a test leaves for later tests of its file to read: grade reports, a classroom kit. It stays until every test
 * file has run; then vitest's global teardown removes it.
 */
export async function keptFolder(what: string): Promise<string> {
  await mkdir(SCRATCH, { recursive: true });
  return mkdtemp(join(SCRATCH, `${PREFIX}${what}-`));
}

/** Removes from `folder` every folder `keptFolder` made, and nothing else. */
export async function tidy(folder: string): Promise<void> {
  const entries = await readdir(folder).catch(() => []);
  await Promise.all(
    entries
      .filter((name) => name.startsWith(PREFIX))
      .map((name) => rm(join(folder, name), { recursive: true, force: true })),
  );
}

/**
 * vitest's global setup: once every file of the repository's run has run, the kept folders go, so that runs do not
 * pile them up. A run rooted elsewhere (a scratch town's own tests, started by a test of the outer run) tidies
 * nothing: the outer run's tests may still be reading theirs.
 */
export function setup(project: { config: { root: string } }): (() => Promise<void>) | undefined {
  if (resolve(project.config.root) !== REPO) return undefined;
  return () => tidy(SCRATCH);
}
