import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

const SKIP = new Set([
  'node_modules',
  '.git',
  '.tmp',
  'data',
  'dist',
  'grade-report',
  'test-results',
  'playwright-report',
]);

/** Every Markdown file of the project: the README, docs/, and each folder's README. */
export async function markdownFiles(dir = ROOT): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await markdownFiles(path)));
    else if (entry.name.endsWith('.md')) found.push(path);
  }
  return found;
}
