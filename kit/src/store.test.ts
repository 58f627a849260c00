import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DurableJSONFile } from './durable-json-file.js';
import { openStore, StoreError } from './store.js';

interface Data {
  users: { id: number; name: string }[];
  orders?: { id: number }[];
}

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'microtown-store-'));
  file = join(dir, 'data', 'user.json');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const onDisk = (): Data => JSON.parse(readFileSync(file, 'utf8'));

/** Resolves once the spied flush has started. */
async function untilCalled(spy: { mock: { calls: unknown[] } }) {
  while (spy.mock.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
}

describe('openStore', () => {
  it('creates a missing file and its folders from the defaults', async () => {
    const store = await openStore<Data>(file, { users: [] });
    expect(store.data).toEqual({ users: [] });
    expect(await readFile(file, 'utf8')).toBe('{"users":[]}\n');
  });

  it('reads back what was written, and fills top-level keys missing from the file', async () => {
    const store = await openStore<Data>(file, { users: [] });
    await store.update((data) => data.users.push({ id: 1, name: 'Ada' }));
    await store.close();
    const again = await openStore<Data>(file, { users: [], orders: [] });
    expect(again.data).toEqual({ users: [{ id: 1, name: 'Ada' }], orders: [] });
  });

  it.each([
    ['{"users": [', /is not valid JSON \(.+\); fix it or move it away: microtown never resets a data file/],
    ['[]', /holds an array, not a JSON object/],
    ['3', /holds a number, not a JSON object/],
    ['null', /holds null, not a JSON object/],
  ])('refuses %s, naming the file and leaving it untouched', async (content, message) => {
    await mkdir(join(dir, 'data'));
    await writeFile(file, content);
    const opening = openStore<Data>(file, { users: [] });
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(message);
    await expect(opening).rejects.toThrow(file);
    expect(await readFile(file, 'utf8')).toBe(content);
  });

  it('removes its own stray temp files and leaves other files alone', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', '.user.json.0123456789ab.tmp'), '{"users": [');
    await writeFile(join(dir, 'data', 'notes.tmp'), 'mine');
    await openStore<Data>(file, { users: [] });
    expect((await readdir(join(dir, 'data'))).sort()).toEqual(['notes.tmp', 'user.json']);
  });
});

describe('writing', () => {
  it('group-commits concurrent updates, acknowledging each only once it is on disk', async () => {
    const store = await openStore<Data>(file, { users: [] });
    const flushes = vi.spyOn(DurableJSONFile.prototype, 'write');
    const seenOnDisk: boolean[] = [];
    await Promise.all(
      Array.from({ length: 500 }, (_, id) =>
        store
          .update((data) => data.users.push({ id, name: `user ${id}` }))
          .then(() => seenOnDisk.push(onDisk().users.some((u) => u.id === id))),
      ),
    );
    // Calls made in the same turn share one flush.
    expect(flushes).toHaveBeenCalledTimes(1);
    expect(seenOnDisk).toEqual(Array(500).fill(true));
    const again = await openStore<Data>(file, { users: [] });
    expect(again.data.users.map((u) => u.id)).toEqual(Array.from({ length: 500 }, (_, id) => id));
  });

  it('update returns what fn returns; a throwing or async fn writes nothing', async () => {
    const store = await openStore<Data>(file, { users: [] });
    const flushes = vi.spyOn(DurableJSONFile.prototype, 'write');
    expect(await store.update((data) => data.users.length)).toBe(0);
    const boom = () => {
      throw new Error('out of stock');
    };
    await expect(store.update(boom)).rejects.toThrow('out of stock');
    await expect(store.update(async () => 1)).rejects.toThrow(/fn must be synchronous/);
    expect(flushes).toHaveBeenCalledTimes(1);
  });

  it('calls that arrive while a flush runs all share the one next flush', async () => {
    const store = await openStore<Data>(file, { users: [] });
    const write = DurableJSONFile.prototype.write;
    const flushes = vi.spyOn(DurableJSONFile.prototype, 'write').mockImplementationOnce(async function (
      this: DurableJSONFile<Data>,
      data,
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // a slow disk: the flush is surely under way
      return write.call(this, data);
    });
    const first = store.update((data) => data.users.push({ id: 0, name: 'first' }));
    await untilCalled(flushes);
    const later = Array.from({ length: 100 }, (_, i) =>
      store.update((data) => data.users.push({ id: i + 1, name: `user ${i + 1}` })),
    );
    await Promise.all([first, ...later]);
    expect(flushes).toHaveBeenCalledTimes(2);
    expect(onDisk().users).toHaveLength(101);
  });

  it('close waits for pending writes', async () => {
    const store = await openStore<Data>(file, { users: [] });
    void store.update((data) => data.users.push({ id: 1, name: 'Ada' }));
    void store.update((data) => data.users.push({ id: 2, name: 'Bo' }));
    await store.close();
    expect(onDisk().users).toHaveLength(2);
  });

  it('updateSoon changes memory at once and reaches the disk with the next write, without a flush of its own', async () => {
    const store = await openStore<Data>(file, { users: [] });
    const flushes = vi.spyOn(DurableJSONFile.prototype, 'write');
    expect(store.updateSoon((data) => data.users.push({ id: 1, name: 'Ada' }))).toBe(1);
    expect(store.data.users).toHaveLength(1);
    expect(onDisk().users).toHaveLength(0);
    await store.update((data) => data.users.push({ id: 2, name: 'Bo' }));
    expect(onDisk().users).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(flushes).toHaveBeenCalledTimes(1);
  });

  it('updateSoon alone reaches the disk within 100 ms, and close writes what is left', async () => {
    const store = await openStore<Data>(file, { users: [] });
    store.updateSoon((data) => data.users.push({ id: 1, name: 'Ada' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onDisk().users).toHaveLength(1);
    store.updateSoon((data) => data.users.push({ id: 2, name: 'Bo' }));
    await store.close();
    expect(onDisk().users).toHaveLength(2);
    expect(() => store.updateSoon(async () => 1)).toThrow(/fn must be synchronous/);
  });

  it('a failed flush rejects exactly its own writers; the next batch succeeds', async () => {
    const store = await openStore<Data>(file, { users: [] });
    const flushes = vi
      .spyOn(DurableJSONFile.prototype, 'write')
      .mockRejectedValueOnce(new Error('disk full'));
    const first = store.update((data) => data.users.push({ id: 1, name: 'Ada' }));
    const firstFails = expect(first).rejects.toThrow('disk full');
    await untilCalled(flushes); // the first flush is under way
    const second = store.update((data) => data.users.push({ id: 2, name: 'Bo' }));
    const third = store.update((data) => data.users.push({ id: 3, name: 'Cy' }));
    await firstFails;
    await expect(Promise.all([second, third])).resolves.toEqual([2, 3]);
    expect(onDisk().users.map((u) => u.id)).toContain(3);
  });

  it('rejects the writers when the folder is gone, and works again once it is back', async () => {
    const store = await openStore<Data>(file, { users: [] });
    await rm(join(dir, 'data'), { recursive: true });
    const writes = [1, 2, 3].map((id) => store.update((data) => data.users.push({ id, name: 'x' })));
    for (const w of writes) await expect(w).rejects.toThrow(/ENOENT/);
    await mkdir(join(dir, 'data'));
    await store.update((data) => data.users.push({ id: 4, name: 'Di' }));
    expect(onDisk().users.map((u) => u.id)).toContain(4);
  });
});

describe('kill -9 while writing', () => {
  it('leaves a valid file holding every acknowledged write', async () => {
    const script = fileURLToPath(new URL('./store.kill-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, '3000'], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const exited = new Promise<string | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );

    try {
      await vi.waitUntil(() => out.startsWith('ready\n') || err, { timeout: 10_000, interval: 20 });
      expect(err).toBe('');
      // Readers racing the writer must never see half a file: this catches in-place writes reliably.
      const until = Date.now() + 700;
      while (Date.now() < until) JSON.parse(await readFile(file, 'utf8'));
    } finally {
      killGroup(child.pid as number);
    }
    expect(await exited).toBe('SIGKILL');

    const acknowledged = out.split('\n').slice(1, -1).map(Number);
    expect(acknowledged.length).toBeGreaterThan(20);
    const { records } = JSON.parse(await readFile(file, 'utf8')) as { records: { id: number }[] };
    const stored = new Set(records.map((r) => r.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    // A temp file the crash left behind does not stop the next start.
    expect((await openStore(file, { records: [] })).data.records).toHaveLength(records.length);
  });
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
