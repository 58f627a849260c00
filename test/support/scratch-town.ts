import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * A copy of the town's `services/` (their code, not their `node_modules/` or `data/`) in the git-ignored `.tmp/`
 * of this repository, so that a service started there still finds the kit. Returns its root; the caller removes it.
 * `without` leaves services out, as a page that makes them itself expects.
 */
export async function scratchTown(prefix: string, without: string[] = []): Promise<string> {
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  const root = await mkdtemp(join(ROOT, '.tmp', `${prefix}-`));
  await cp(join(ROOT, 'services'), join(root, 'services'), {
    recursive: true,
    filter: (path) =>
      !/\/(node_modules|data)(\/|$)/.test(path) &&
      !without.some((name) => path.endsWith(`/services/${name}-service`)),
  });
  return root;
}
