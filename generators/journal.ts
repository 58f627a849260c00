import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The renames that make a change to an existing folder real, written down before the first one is made, so that a
 * run killed half-way is finished by the next run (or undone, if it was already undoing a failure).
 */
export interface Journal {
  /** The folder changed, relative to the root, e.g. `services/shipping-service`. */
  folder: string;
  /** The staged copy of it inside the staging folder: its new files are renamed from there. */
  staged: string;
  state: 'apply' | 'undo';
  /** `deleted`: the file is renamed aside into BEFORE (and back, to undo). */
  files: { path: string; created: boolean; deleted?: boolean }[];
}

export const JOURNAL = 'journal.json';
/** Inside a staging folder: the old text of each file a change modifies, to undo it. */
export const BEFORE = 'before';
/** A staging folder older than this is stale even if a process with its pid runs (pids are reused). */
const STALE_MS = 60 * 60 * 1000;

/** `<root>/.tmp/generate-<pid>-XXXXXX`: the pid tells a later run whether the folder's owner is still alive. */
export async function openStaging(root: string): Promise<string> {
  await mkdir(join(root, '.tmp'), { recursive: true });
  return mkdtemp(join(root, '.tmp', `generate-${process.pid}-`));
}

/** Writes a file (or only flushes it, without text) to disk, so that a rename after it never exposes a partial file. */
export async function writeDurable(file: string, text?: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const handle = await open(file, text === undefined ? 'r' : 'w');
  try {
    if (text !== undefined) await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (the journal's rename) before the renames it lists; not every platform can. */
async function syncFolder(dir: string): Promise<void> {
  await writeDurable(dir).catch(() => undefined);
}

/** The journal appears whole or not at all: written beside itself, flushed, renamed. */
export async function writeJournal(staging: string, journal: Journal): Promise<void> {
  await writeDurable(join(staging, `${JOURNAL}.next`), JSON.stringify(journal));
  await rename(join(staging, `${JOURNAL}.next`), join(staging, JOURNAL));
  await syncFolder(staging);
}

/** Does what the journal says; each step can be repeated, so a second replay after a kill finishes the first. */
export async function replay(root: string, staging: string, journal: Journal): Promise<void> {
  const pause = Number(process.env.GENERATE_PAUSE_AFTER_RENAME_MS) || 0;
  for (const { path, created, deleted } of journal.files) {
    const target = join(root, journal.folder, path);
    if (deleted) {
      const [from, to] =
        journal.state === 'apply'
          ? [target, join(staging, BEFORE, path)]
          : [join(staging, BEFORE, path), target];
      if (!existsSync(from)) continue; // renamed already
      await mkdir(dirname(to), { recursive: true });
      await rename(from, to);
      if (pause) await sleep(pause);
      continue;
    }
    const from =
      journal.state === 'apply' ? join(staging, journal.staged, path) : join(staging, BEFORE, path);
    if (journal.state === 'undo' && created) await rm(target, { force: true });
    if (!existsSync(from)) continue; // renamed already
    await mkdir(dirname(target), { recursive: true });
    await rename(from, target);
    if (pause) await sleep(pause);
  }
}

/**
 * Run first by every command: finishes (or undoes) each change whose run was killed, and removes the staging folders
 * of runs that are gone. Returns one line per change it finished.
 */
export async function recoverInterrupted(root: string): Promise<string[]> {
  const tmp = join(root, '.tmp');
  const names = existsSync(tmp) ? await readdir(tmp) : [];
  const lines: string[] = [];
  for (const name of names.filter((n) => n.startsWith('generate-'))) {
    if (await owned(join(tmp, name), name)) continue;
    // Renamed to carry this run's pid: two runs never replay one journal, and a kill now leaves it to the next.
    const claimed = join(tmp, name.replace(/^generate-(\d+-)?/, `generate-${process.pid}-`));
    try {
      await rename(join(tmp, name), claimed);
    } catch {
      continue;
    }
    if (existsSync(join(claimed, JOURNAL))) {
      const journal: Journal = JSON.parse(await readFile(join(claimed, JOURNAL), 'utf8'));
      await replay(root, claimed, journal);
      const verb = journal.state === 'apply' ? 'finished' : 'undid';
      const files = `${journal.files.length} file${journal.files.length === 1 ? '' : 's'}`;
      lines.push(`generate: ${verb} an interrupted change to ${journal.folder} (${files})`);
    }
    await rm(claimed, { recursive: true, force: true, maxRetries: 3 });
  }
  return lines;
}

/** A staging folder still in use: young, and its run alive (a folder of an older version has no pid: only its age). */
async function owned(dir: string, name: string): Promise<boolean> {
  const pid = Number(/^generate-(\d+)-/.exec(name)?.[1]);
  try {
    if (Date.now() - (await stat(dir)).mtimeMs > STALE_MS) return false;
    if (pid) process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
