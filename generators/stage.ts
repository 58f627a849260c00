import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { BEFORE, JOURNAL, type Journal, replay, writeDurable, writeJournal } from './journal.js';

export interface Change {
  /** Path inside the service folder. */
  path: string;
  kind: 'create' | 'modify' | 'delete';
  /** The new text (empty for a deletion), and the old one for a modification or a deletion. */
  text: string;
  before?: string;
}

/** Folders of a service that belong to its runtime, not its code: never staged, never touched. */
const SKIP = new Set(['data', 'node_modules']);

/** A copy of the service folder's code (empty for a new service) for the generator to write into. */
export async function stageCopy(target: string, staged: string): Promise<void> {
  if (!existsSync(target)) return void (await mkdir(staged, { recursive: true }));
  await cp(target, staged, {
    recursive: true,
    filter: (src) => !SKIP.has(relative(target, src).split(/[\\/]/)[0] ?? ''),
  });
}

async function files(dir: string, under = ''): Promise<string[]> {
  const entries = await readdir(join(dir, under), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const path = under ? `${under}/${e.name}` : e.name;
      if (e.isDirectory()) return SKIP.has(path) ? [] : files(dir, path);
      return [path];
    }),
  );
  return nested.flat().sort();
}

/** What the staged folder has that the target has not, file by file. */
export async function diff(staged: string, target: string): Promise<Change[]> {
  const changes: Change[] = [];
  for (const path of await files(staged)) {
    const text = await readFile(join(staged, path), 'utf8');
    const old = join(target, path);
    if (!existsSync(old)) changes.push({ path, kind: 'create', text });
    else {
      const before = await readFile(old, 'utf8');
      if (before !== text) changes.push({ path, kind: 'modify', text, before });
    }
  }
  return changes;
}

/**
 * Makes the changes real, all or nothing even when the process is killed. A new folder appears in one rename. In an
 * existing one, the new files (in the stage) and copies of the old ones are flushed to disk, a journal lists the
 * renames, then they are made: a failure undoes them, a kill leaves the journal for the next run to finish.
 */
export async function apply(root: string, folder: string, staging: string, changes: Change[]): Promise<void> {
  const target = join(root, folder);
  const staged = join(staging, basename(folder));
  if (!existsSync(target)) {
    await mkdir(dirname(target), { recursive: true });
    await rename(staged, target);
    return;
  }
  for (const change of changes) {
    if (change.kind === 'delete') continue; // renamed aside whole, into BEFORE, by the replay
    await writeDurable(join(staged, change.path));
    if (change.before !== undefined) await writeDurable(join(staging, BEFORE, change.path), change.before);
  }
  const files = changes.map((change) => ({
    path: change.path,
    created: change.kind === 'create',
    ...(change.kind === 'delete' ? { deleted: true } : {}),
  }));
  const journal: Journal = { folder, staged: basename(folder), state: 'apply', files };
  await writeJournal(staging, journal);
  try {
    await replay(root, staging, journal);
  } catch (error) {
    // If the undo fails too, the journal stays and the next run undoes the rest.
    await writeJournal(staging, { ...journal, state: 'undo' });
    await replay(root, staging, { ...journal, state: 'undo' });
    await rm(join(staging, JOURNAL));
    throw error;
  }
  await rm(join(staging, JOURNAL));
}

/** The lines a change adds (and removes), for `--dry-run`. */
export function addedLines(change: Change): string[] {
  if (change.kind !== 'modify') return [];
  const before = new Map<string, number>();
  for (const line of change.before?.split('\n') ?? []) before.set(line, (before.get(line) ?? 0) + 1);
  const added: string[] = [];
  for (const line of change.text.split('\n')) {
    const left = before.get(line) ?? 0;
    if (left > 0) before.set(line, left - 1);
    else added.push(`+ ${line}`);
  }
  for (const [line, left] of before) for (let i = 0; i < left; i++) added.push(`- ${line}`);
  return added;
}
