import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * After a new service (or one removed): `npm install --offline` links (or unlinks) it as a workspace and records that
 * in package-lock.json (under a second here; nothing to download, its only dependency is the kit). Returns a line for
 * the user either way.
 */
export async function linkWorkspace(root: string, folder: string, removed = false): Promise<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    await run(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: root });
    return removed
      ? `unlinked ${folder} as a workspace (npm install)`
      : `linked ${folder} as a workspace (npm install)`;
  } catch {
    const what = removed ? `forgets ${folder}` : `records ${folder}`;
    return `note: could not run npm install; run it once so that package-lock.json ${what}`;
  }
}
