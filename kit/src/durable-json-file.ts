import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { UserMistake } from './town/mistake.js';

/** A data file that cannot be used as it is. microtown never resets one, so start-up stops instead. */
export class StoreError extends UserMistake {
  override name = 'StoreError';
}

const FIX = 'fix it or move it away: microtown never resets a data file';
const TEMP_SUFFIX = /^[0-9a-f]{12}\.tmp$/;

/**
 * A lowdb adapter whose `write` returns only once the data is on disk: temp file, fsync, rename, fsync folder.
 * A crash at any moment leaves either the old file or the new one, never half of one.
 */
export class DurableJSONFile<T extends object> implements Adapter<T> {
  readonly #tempPrefix: string;

  constructor(readonly file: string) {
    this.#tempPrefix = `.${basename(file)}.`;
  }

  /** The file's object, or null if there is no file. Anything else that is not a JSON object is refused. */
  async read(): Promise<T | null> {
    const bytes = await this.readBytes();
    return bytes && this.parse(bytes.toString('utf8'));
  }

  /** The file's bytes, or null if there is no file. */
  async readBytes(): Promise<Buffer | null> {
    try {
      return await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StoreError(`cannot read ${this.file} (${(error as Error).message}); ${FIX}`, {
        cause: error,
      });
    }
  }

  parse(text: string): T {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new StoreError(`${this.file} is not valid JSON (${(error as Error).message}); ${FIX}`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      const found = Array.isArray(data) ? 'an array' : data === null ? 'null' : `a ${typeof data}`;
      throw new StoreError(`${this.file} holds ${found}, not a JSON object; ${FIX}`);
    }
    return data as T;
  }

  async write(data: T): Promise<void> {
    await this.writeText(`${JSON.stringify(data, null, 2)}\n`);
  }

  /** Replaces the file with `text`: on disk when this resolves, whole or not at all at any moment of a crash. */
  writeText(text: string): Promise<void> {
    return replaceDurably(this.file, text, `${this.#tempPrefix}${randomBytes(6).toString('hex')}.tmp`);
  }

  /** Temp files a crash left behind; only ones with our own naming pattern are touched. */
  async removeStrayTempFiles(): Promise<void> {
    const dir = dirname(this.file);
    const names = await readdir(dir).catch((): string[] => []);
    const prefix = this.#tempPrefix;
    const stray = names.filter((n) => n.startsWith(prefix) && TEMP_SUFFIX.test(n.slice(prefix.length)));
    await Promise.all(stray.map((n) => rm(join(dir, n), { force: true })));
  }
}

/** Makes a rename or a new entry in `dir` survive a power cut. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // Windows cannot open a folder to fsync it.
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` with `text` through a temp file `tempName` beside it (fsync, rename, fsync of the folder): on
 * disk when this resolves, whole or not at all at any moment of a crash. A failed write removes its temp file.
 */
export async function replaceDurably(file: string, text: string, tempName: string): Promise<void> {
  const temp = join(dirname(file), tempName);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
  await syncDir(dirname(file));
}
