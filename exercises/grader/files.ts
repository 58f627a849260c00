import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file under `dir` (a few levels, no node_modules) that contains `marker`. A running database adds and removes
 * files as it goes (temporary files, journals), so a file that is gone by the time it is read is skipped.
 */
export function filesWith(marker: string, dir: string, depth = 4): string[] {
  if (depth < 0) return [];
  return stillThere(() => readdirSync(dir, { withFileTypes: true }), []).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', '.git'].includes(entry.name) ? [] : filesWith(marker, path, depth - 1);
    const holds = () => statSync(path).size < 5_000_000 && readFileSync(path).includes(marker);
    return stillThere(holds, false) ? [path] : [];
  });
}

/** What `read` gives, or `gone` when the file or folder it reads was removed meanwhile. */
function stillThere<T>(read: () => T, gone: T): T {
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return gone;
    throw error;
  }
}
