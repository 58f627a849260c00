import { createHash } from 'node:crypto';
import { type FileHandle, open, readFile, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { replaceDurably, StoreError, syncDir } from './durable-json-file.js';
import type { Op } from './journal-ops.js';

/** A line saying: everything above me is in the data file whose bytes have this SHA-256. */
export interface Marker {
  snapshot: string;
}
export type Entry = Op[] | Marker;

const FIX = 'fix it or move it away: microtown never resets a data file';

export const snapshotHash = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
export const markerLine = (hash: string) => JSON.stringify({ snapshot: hash } satisfies Marker);

/**
 * Reads `file`: one entry per line. A last line without its newline is what a crash left mid-append, never
 * acknowledged: it is dropped, with a log line. Anything else that does not parse stops here, naming the line.
 */
export async function readJournal(
  file: string,
  log: (line: string) => void,
): Promise<{ entries: Entry[]; lines: string[]; bytes: number } | null> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreError(`cannot read ${file} (${(error as Error).message}); ${FIX}`, { cause: error });
  }
  const bytes = buffer.lastIndexOf(0x0a) + 1;
  if (bytes < buffer.length) {
    log(
      `${file}: dropped a torn last line (${buffer.length - bytes} bytes) that a crash left mid-write; it was never acknowledged`,
    );
  }
  const lines =
    bytes === 0
      ? []
      : buffer
          .subarray(0, bytes - 1)
          .toString('utf8')
          .split('\n');
  const entries = lines.map((line, i) => parseLine(file, line, i + 1));
  return { entries, lines, bytes };
}

function parseLine(file: string, line: string, n: number): Entry {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch (error) {
    throw new StoreError(`${file} line ${n} is not valid JSON (${(error as Error).message}); ${FIX}`);
  }
  const isMarker = (e: unknown): e is Marker => typeof (e as Marker | null)?.snapshot === 'string';
  if (!Array.isArray(entry) && !isMarker(entry)) {
    throw new StoreError(`${file} line ${n} is not a journal entry (a list of changes); ${FIX}`);
  }
  return entry;
}

/** The journal open for appending: each append is on disk when it resolves; a failed one leaves no trace. */
export class Journal {
  #size: number;
  #broken = false;

  private constructor(
    readonly file: string,
    private handle: FileHandle,
    size: number,
  ) {
    this.#size = size;
  }

  /** Opens `file` for appending, cut to `bytes` (dropping a torn tail). */
  static async open(file: string, bytes: number): Promise<Journal> {
    const handle = await open(file, 'a');
    try {
      if ((await handle.stat()).size !== bytes) {
        await handle.truncate(bytes);
        await handle.sync();
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new Journal(file, handle, bytes);
  }

  /** Creates `file` holding `text` (replacing any), durably. */
  static async create(file: string, text: string): Promise<Journal> {
    await replaceDurably(file, text, `${basename(file)}.tmp`);
    return Journal.open(file, Buffer.byteLength(text));
  }

  get size(): number {
    return this.#size;
  }

  async append(text: string): Promise<void> {
    // A failed append may have left part of its line: it must go before anything else is appended.
    if (this.#broken) {
      await this.handle.truncate(this.#size);
      this.#broken = false;
    }
    try {
      const bytes = Buffer.from(text);
      // A write may take only part (a disk filling up): the rest goes on, until all of it or an error.
      for (let at = 0; at < bytes.length; ) at += (await this.handle.write(bytes, at)).bytesWritten;
      await this.handle.datasync();
      this.#size += bytes.length;
    } catch (error) {
      this.#broken = true;
      await this.handle.truncate(this.#size).then(
        () => {
          this.#broken = false;
        },
        () => {},
      );
      throw error;
    }
  }

  /** Replaces the whole journal with `text` (temp file, fsync, rename), then appends go there. */
  async rewrite(text: string): Promise<void> {
    await replaceDurably(this.file, text, `${basename(this.file)}.tmp`);
    const handle = await open(this.file, 'a');
    await this.handle.close().catch(() => {});
    this.handle = handle;
    this.#size = Buffer.byteLength(text);
    this.#broken = false;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /** Closes and deletes the journal: the data file holds everything. */
  async remove(): Promise<void> {
    await this.handle.close().catch(() => {});
    await rm(this.file, { force: true });
    await syncDir(dirname(this.file));
  }
}
