import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { DurableJSONFile, StoreError, syncDir } from './durable-json-file.js';
import { groupCommit } from './group-commit.js';

export { StoreError };

/** How long a change made with `updateSoon` may wait for a write to carry it. */
const SOON_MS = 100;

/** A service's data: held in memory, saved to one JSON file. */
export interface Store<T extends object> {
  readonly file: string;
  /** The in-memory state; mutate it, then `write()`. */
  readonly data: T;
  /** Resolves once the state as of this call is on disk. */
  write(): Promise<void>;
  /** Runs `fn` on the data without interleaving (check-then-modify is atomic), writes, returns `fn`'s result. */
  update<R>(fn: (data: T) => R): Promise<R>;
  /**
   * Like `update`, for a change nobody waits for: it goes to disk with the next write, or within 100 ms. Only for
   * changes a crash may lose because they can be redone (a delivery mark, state that can be asked for again).
   */
  updateSoon<R>(fn: (data: T) => R): R;
  /** Writes what `updateSoon` left, and waits for pending writes. */
  close(): Promise<void>;
}

/** Opens `file`, creating it from `defaults` if missing; a corrupt file throws a StoreError. */
export async function openStore<T extends object>(file: string, defaults: T): Promise<Store<T>> {
  const adapter = new DurableJSONFile<T>(file);
  await adapter.removeStrayTempFiles();
  const found = await adapter.read();
  // Keys missing from the file come from the defaults, so a service that gained a collection keeps working.
  const db = new Low<T>(adapter, { ...structuredClone(defaults), ...found });
  if (!found) {
    await makeDirDurably(dirname(file));
    await db.write();
  }

  // Every flush serialises the whole state, so it carries the changes made with updateSoon up to its start.
  let unsaved = false;
  let soon: NodeJS.Timeout | undefined;
  const { write, settled } = groupCommit(() => {
    unsaved = false;
    return db.write();
  });
  const run = <R>(fn: (data: T) => R): R => {
    const result = fn(db.data);
    if (result instanceof Promise) {
      throw new StoreError('store.update(fn): fn must be synchronous, or another request could interleave');
    }
    return result;
  };

  return {
    file,
    get data() {
      return db.data;
    },
    write,
    async update<R>(fn: (data: T) => R): Promise<R> {
      const result = run(fn);
      await write();
      return result;
    },
    updateSoon<R>(fn: (data: T) => R): R {
      const result = run(fn);
      unsaved = true;
      soon ??= setTimeout(() => {
        soon = undefined;
        // A failed write leaves `unsaved` set: the next write, or the next updateSoon, tries again.
        if (unsaved) write().catch(() => {});
      }, SOON_MS).unref();
      return result;
    },
    async close() {
      clearTimeout(soon);
      soon = undefined;
      if (unsaved) await write();
      await settled();
    },
  };
}

async function makeDirDurably(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; d !== dirname(first); d = dirname(d)) await syncDir(dirname(d));
}
