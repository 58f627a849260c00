import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { DurableJSONFile, StoreError, syncDir } from './durable-json-file.js';

export { StoreError };

/** A service's data: held in memory, saved to one JSON file. */
export interface Store<T extends object> {
  readonly file: string;
  /** The in-memory state; mutate it, then `write()`. */
  readonly data: T;
  /** Resolves once the state as of this call is on disk. */
  write(): Promise<void>;
  /** Runs `fn` on the data without interleaving (check-then-modify is atomic), writes, returns `fn`'s result. */
  update<R>(fn: (data: T) => R): Promise<R>;
  /** Waits for pending writes. */
  close(): Promise<void>;
}

const ignore = () => {};

/**
 * Under load, the writers a flush just acknowledged send their next request a fraction of a millisecond later.
 * Waiting that long before the next flush lets them join it, instead of flushes alternating between a lone
 * early writer and everyone else.
 */
const GATHER_MS = 1;
const gather = () => new Promise((resolve) => setTimeout(resolve, GATHER_MS));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

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

  // Group commit: writes that arrive while a flush is under way all share the one flush that follows it.
  let inFlight: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let waiting = 0; // writers in the queued batch
  let lastBatch = 0; // writers the last flush served: more than one means we are under load
  const flush = (): Promise<void> => {
    lastBatch = waiting;
    waiting = 0;
    queued = undefined;
    inFlight = db.write().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const write = (): Promise<void> => {
    waiting++;
    // Idle and unloaded: flush on the next turn, after the writers acknowledged in this turn have joined. Busy or
    // under load: wait a moment after the flush under way, so the writers it answers can join the next one.
    queued ??= (inFlight ?? Promise.resolve())
      .catch(ignore)
      .then(inFlight || lastBatch > 1 ? gather : nextTurn)
      .then(flush);
    return queued;
  };

  return {
    file,
    get data() {
      return db.data;
    },
    write,
    async update<R>(fn: (data: T) => R): Promise<R> {
      const result = fn(db.data);
      if (result instanceof Promise) {
        throw new StoreError('store.update(fn): fn must be synchronous, or another request could interleave');
      }
      await write();
      return result;
    },
    async close() {
      for (let p = queued ?? inFlight; p; p = queued ?? inFlight) await p.catch(ignore);
    },
  };
}

async function makeDirDurably(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; d !== dirname(first); d = dirname(d)) await syncDir(dirname(d));
}
