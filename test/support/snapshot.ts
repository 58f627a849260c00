import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every file under `dir` with a hash of its bytes, keyed by its path below `dir`, to compare a folder before and
 * after a run. Folders named in `skip` (at any depth) are left out.
 */
export async function snapshot(
  dir: string,
  skip: string[] = [],
  under = '',
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(join(dir, under), { withFileTypes: true })) {
    if (skip.includes(entry.name)) continue;
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, await snapshot(dir, skip, path));
    else
      out[path] = createHash('sha1')
        .update(await readFile(join(dir, path)))
        .digest('hex');
  }
  return out;
}
