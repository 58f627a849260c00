import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { StoreError } from './durable-json-file.js';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

export interface StoreLock {
  release(): Promise<void>;
}

/** Lock files this process holds: a lock naming our own pid that is not among them was left by a previous run. */
const held = new Set<string>();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Makes this process the only one using `file`, through `<file>.lock` holding our pid. Two processes writing one
 * file each lose the other's acknowledged writes, so a second one is refused, naming the first. A lock whose process
 * is gone (a crash, kill -9) does not block: it is replaced, with a log line.
 */
export async function lockDataFile(file: string, log: (line: string) => void): Promise<StoreLock> {
  const lock = `${file}.lock`;
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lock, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      held.add(lock);
      return {
        async release() {
          held.delete(lock);
          await rm(lock, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const other = await readHolder(lock);
    if (other && (other.host !== me.host || (alive(other.pid) && other.pid !== process.pid))) {
      const where = other.host === me.host ? '' : ` on ${other.host}`;
      throw new StoreError(
        `${file} is in use by process ${other.pid}${where} (since ${other.since}): one process per data file, or ` +
          `they lose each other's writes. Stop that one, or give this one another data file; if no such process ` +
          `runs any more, delete ${lock}`,
      );
    }
    if (other) log(`${file}: process ${other.pid} held it and is gone; taking over its lock`);
    await rm(lock, { force: true });
  }
}

async function readHolder(lock: string): Promise<Holder | undefined> {
  try {
    const holder = JSON.parse(await readFile(lock, 'utf8')) as Holder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined; // unreadable or half-written by a crash: stale
  }
}

/**
 * Who holds `file`'s lock, when that process still runs (then it owns the file, and removing the file would reset
 * nothing: it writes its memory back): `process 123`, or `process 123 on other-host`; undefined when no one does.
 */
export async function lockHolder(file: string): Promise<string | undefined> {
  const other = await readHolder(`${file}.lock`);
  if (!other) return undefined;
  if (other.host !== hostname()) return `process ${other.pid} on ${other.host}`;
  return alive(other.pid) ? `process ${other.pid}` : undefined;
}
