import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DurableJSONFile, StoreError, syncDir } from './durable-json-file.js';
import { DiskRefusedError } from './errors.js';
import { groupCommit } from './group-commit.js';
import { Journal, markerLine, snapshotHash } from './journal.js';
import { type Migration, runMigrations } from './migrate.js';
import { storeCheck } from './store-check.js';
import { loadStore } from './store-load.js';
import { lockDataFile } from './store-lock.js';
import type { Batch } from './store-tracker.js';

export { StoreError };

/** How long a change made with `updateSoon` may wait for a write to carry it. */
const SOON_MS = 100;

/** A service's data: held in memory, saved to one JSON file and the journal beside it. */
export interface Store<T extends object> {
  readonly file: string;
  /** The in-memory state; mutate it, then `write()`. */
  readonly data: T;
  /** Resolves once the state as of this call is on disk. */
  write(): Promise<void>;
  /**
   * Runs `fn` on the data without interleaving (check-then-modify is atomic), writes, returns `fn`'s result. If `fn`
   * throws, or the disk refuses the write, the data is left as it was before.
   */
  update<R>(fn: (data: T) => R): Promise<R>;
  /**
   * Like `update`, for a change nobody waits for: it goes to disk with the next write, or within 100 ms. Only for
   * changes a crash may lose because they can be redone (a delivery mark, state that can be asked for again).
   */
  updateSoon<R>(fn: (data: T) => R): R;
  /**
   * Calls `listener` each time the store has undone changes to the data (an update's function threw, or the disk
   * refused a write): an index a service keeps beside the data (a Map by key) may hold what was undone, so rebuild it.
   */
  onUndo(listener: () => void): void;
  /** Writes everything to the data file, removes the journal and the lock. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Where the store's rare log lines go (a torn journal line dropped, a stale lock replaced). Default: stderr. */
  log?: (line: string) => void;
  /** The data file is rewritten this long after the last write (default 500 ms)... */
  idleMs?: number;
  /** ...and whenever the journal has grown by this many bytes (default 64 MB, or the data file's size if larger). */
  compactBytes?: number;
}

/** Data files open in this process: a second `openStore` of one of them only reads it. */
const opened = new Set<string>();

/**
 * Opens `file`, creating it from `defaults` if missing, and replays its journal; a corrupt file throws a StoreError,
 * and so does a file another running process has open.
 */
export async function openStore<T extends object>(
  file: string,
  defaults: T,
  options: StoreOptions & { migrations?: readonly Migration<T>[] } = {},
): Promise<Store<T>> {
  const log = options.log ?? ((line: string) => console.error(line));
  const path = resolve(file);
  if (opened.has(path)) return readOnly(file, defaults, log);
  await atStart(file, () => makeDirDurably(dirname(file)));
  const lock = await atStart(file, () => lockDataFile(file, log));
  opened.add(path);
  try {
    const store = await atStart(file, () => openLocked(file, defaults, options, log, lock.release));
    const ran = await runMigrations(store, options.migrations ?? []).catch(async (error) => {
      await store.close();
      throw error;
    });
    if (ran.length > 0) log(`${file}: migrated the stored records (${ran.join(', ')})`);
    return store;
  } catch (error) {
    opened.delete(path);
    await lock.release().catch(() => {});
    throw error;
  }
}

async function openLocked<T extends object>(
  file: string,
  defaults: T,
  options: StoreOptions,
  log: (line: string) => void,
  unlock: () => Promise<void>,
): Promise<Store<T>> {
  const snapshot = new DurableJSONFile<T>(file);
  await snapshot.removeStrayTempFiles();
  const loaded = await loadStore(file, defaults, log);
  const { tracker, raw } = loaded;
  const journalFile = `${file}.journal`;
  await rm(`${journalFile}.tmp`, { force: true });
  let onDisk = loaded.hash;
  if (onDisk === undefined) {
    const text = `${JSON.stringify(raw, null, 2)}\n`;
    await snapshot.writeText(text);
    onDisk = snapshotHash(text);
  }
  const journal =
    loaded.journalBytes === undefined
      ? await Journal.create(journalFile, `${markerLine(onDisk)}\n`)
      : await Journal.open(journalFile, loaded.journalBytes);
  const compactBytes = options.compactBytes ?? Math.max(64 << 20, loaded.snapshotBytes);
  const idleMs = options.idleMs ?? 500;
  const check = storeCheck(file, raw, tracker.ids);

  let since = loaded.since; // op lines after the last marker: what the data file does not hold yet
  let markerSize = journal.size - since.reduce((n, line) => n + Buffer.byteLength(line) + 1, 0);
  let prefix = ''; // a marker that must reach the journal before any later line
  let lastMarker = onDisk;
  let epoch = 0;
  const failed = new Map<number, Error>();
  let compactWanted = since.length > 0;
  let snapshotting: Promise<void> | undefined;
  let rewriteWanted = false;
  let closing = false; // close() has begun: no more background work
  let closed = false;
  let soon: NodeJS.Timeout | undefined;
  let idle: NodeJS.Timeout | undefined;
  const undone = new Set<() => void>();
  const tellUndone = () => {
    for (const listener of undone) listener();
  };

  const take = () => {
    const batch = tracker.take();
    epoch++;
    return batch;
  };

  const append = async (batch: Batch) => {
    const line = JSON.stringify(batch.ops);
    check?.check(line);
    try {
      await journal.append(`${prefix}${line}\n`);
    } catch (error) {
      // What was not written is undone, with every change made since on top of it; all their writers fail.
      tracker.rollback([batch]);
      check?.reset();
      tellUndone();
      const refused = refusal(journalFile, error);
      failed.set(epoch - 1, refused).set(epoch, refused);
      epoch++;
      for (const old of failed.keys()) if (old < epoch - 1000) failed.delete(old);
      throw refused;
    }
    prefix = '';
    since.push(line);
  };

  /** Writes the data file from memory, then the journal keeps only what came after. */
  const compact = async () => {
    for (let i = 0; i < 5 && tracker.changed; i++) await append(take());
    if (tracker.changed || snapshotting) return;
    compactWanted = false;
    tracker.reindex();
    const text = `${JSON.stringify(raw, null, 2)}\n`;
    const hash = snapshotHash(text);
    check?.reset();
    prefix += `${markerLine(hash)}\n`;
    since = [];
    await journal.append(prefix);
    prefix = '';
    markerSize = journal.size;
    lastMarker = hash;
    snapshotting = snapshot
      .writeText(text)
      .then(
        () => {
          onDisk = hash;
          rewriteWanted = true;
          if (!closing) void commit.write().catch(() => {});
        },
        (error) => {
          compactWanted = true;
          log(
            `${file}: could not be rewritten (${(error as Error).message}); the journal still holds everything`,
          );
        },
      )
      .finally(() => {
        snapshotting = undefined;
      });
  };

  const rewrite = async () => {
    rewriteWanted = false;
    if (prefix || lastMarker !== onDisk) return;
    await journal.rewrite(`${[markerLine(onDisk), ...since].join('\n')}\n`);
    markerSize = Buffer.byteLength(markerLine(onDisk)) + 1;
  };

  const commit = groupCommit(async () => {
    const wrote = tracker.changed;
    if (wrote) await append(take());
    try {
      if (rewriteWanted && !snapshotting) await rewrite();
      if (journal.size - markerSize > compactBytes) compactWanted = true;
      if (compactWanted && !snapshotting) await compact();
    } catch (error) {
      log(
        `${file}: could not be compacted (${(error as Error).message}); the journal still holds everything`,
      );
    }
    if (wrote && !closing) {
      clearTimeout(idle);
      idle = setTimeout(() => {
        compactWanted = true;
        void commit.write().catch(() => {});
      }, idleMs).unref();
    }
  });

  const write = async () => {
    const mine = epoch;
    await commit.write();
    const refused = failed.get(mine);
    if (refused) throw refused;
  };

  const run = <R>(fn: (data: T) => R): R => {
    const mark = tracker.mark();
    let result: R;
    try {
      result = fn(tracker.data as T);
    } catch (error) {
      tracker.undoTo(mark);
      tellUndone();
      throw error;
    }
    if (result instanceof Promise) {
      throw new StoreError('store.update(fn): fn must be synchronous, or another request could interleave');
    }
    return result;
  };

  return {
    file,
    get data() {
      return tracker.data as T;
    },
    write,
    async update<R>(fn: (data: T) => R): Promise<R> {
      if (closed) throw new StoreError(`${file} is closed`);
      const result = run(fn);
      await write();
      return result;
    },
    updateSoon<R>(fn: (data: T) => R): R {
      const result = run(fn);
      soon ??= setTimeout(() => {
        soon = undefined;
        // A failed write leaves the change undone; whoever made it may make it again.
        if (tracker.changed && !closing) commit.write().catch(() => {});
      }, SOON_MS).unref();
      return result;
    },
    onUndo(listener) {
      undone.add(listener);
    },
    async close() {
      if (closing) return;
      closing = true;
      clearTimeout(soon);
      clearTimeout(idle);
      try {
        await commit.settled();
        await snapshotting;
        if (tracker.changed || since.length > 0 || onDisk !== lastMarker) {
          compactWanted = true;
          await commit.write();
        }
        await snapshotting;
        await commit.settled();
        closed = true;
        if (since.length === 0 && !prefix && !tracker.changed && onDisk === lastMarker)
          await journal.remove();
        else await journal.close();
      } catch (error) {
        // A disk that refuses now loses nothing acknowledged: the data file or the journal holds it.
        if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
        log(
          `${file}: could not be closed cleanly (${(error as Error).message}); every acknowledged write is in it or its journal`,
        );
        await journal.close().catch(() => {});
      } finally {
        closed = true;
        opened.delete(resolve(file));
        await unlock().catch((error: Error) =>
          log(`${file}: its lock could not be removed (${error.message}); the next start takes it over`),
        );
      }
    },
  };
}

/** A second handle on a file this process already has open: it reads what is on disk, and cannot write. */
async function readOnly<T extends object>(file: string, defaults: T, log: (line: string) => void) {
  const { raw } = await loadStore(file, defaults, log);
  const refuse = () =>
    new StoreError(`${file} is already open in this process: write through that Store (this one only reads)`);
  const store: Store<T> = {
    file,
    data: raw as T,
    write: () => Promise.reject(refuse()),
    update: <R>(): Promise<R> => Promise.reject(refuse()),
    updateSoon: () => {
      throw refuse();
    },
    onUndo: () => {},
    close: () => Promise.resolve(),
  };
  return store;
}

function refusal(file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? new DiskRefusedError(file, code, { cause: error }) : (error as Error);
}

/** At start, a disk that refuses (read-only folder, no permission) is one line naming the folder, not a stack. */
async function atStart<R>(file: string, step: () => Promise<R>): Promise<R> {
  try {
    return await step();
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    if (error instanceof StoreError || typeof code !== 'string') throw error;
    const folder = dirname(path ?? file);
    throw new StoreError(
      `cannot open ${file}: the disk refused to write in ${folder} (${(error as Error).message}); make that ` +
        'folder writable, or give the service a data file elsewhere',
      { cause: error },
    );
  }
}

/**
 * Creates `dir` and the folders above it that are missing, one at a time (a recursive mkdir reports ENOENT when the
 * folder above is read-only), each made durable in its parent.
 */
async function makeDirDurably(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); !(await exists(d)); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    await mkdir(d).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await syncDir(dirname(d));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
