import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * After a new service: `npm install --offline` links it as a workspace and records it in package-lock.json (under a
 * second here; nothing to download, its only dependency is the kit). Returns a line for the user either way.
 */
export async function linkWorkspace(root: string, folder: string): Promise<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    await run(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: root });
    return `linked ${folder} as a workspace (npm install)`;
  } catch {
    return `note: could not run npm install; run it once so that package-lock.json records ${folder}`;
  }
}
