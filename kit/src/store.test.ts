import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, type ThingsData } from '../example/app.js';
import { DiskRefusedError } from './errors.js';
import { closeServer, serve } from './serve.js';
import { openStore, StoreError } from './store.js';
import { readStoreState } from './store-load.js';

interface Data {
  users: { id: number; name: string; email?: string }[];
  lastIds: Record<string, number>;
  orders?: { id: number }[];
}

let dir: string;
let file: string;
let journal: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'microtown-store-'));
  file = join(dir, 'data', 'user.json');
  journal = `${file}.journal`;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const onDisk = (): Data => JSON.parse(readFileSync(file, 'utf8'));
const journalLines = async () => (await readFile(journal, 'utf8')).split('\n').slice(0, -1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quiet = { log: () => {} };

/** What a new process would read: this process already has the file open, so a second handle reads it. */
const reread = async () => (await openStore<Data>(file, { users: [], lastIds: {} })).data;

describe('openStore', () => {
  it('creates a missing file, indented, and its folders; a clean stop leaves the data file alone', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} });
    expect(store.data).toEqual({ users: [], lastIds: {} });
    expect(await readFile(file, 'utf8')).toBe('{\n  "users": [],\n  "lastIds": {}\n}\n');
    await store.close();
    expect((await readdir(join(dir, 'data'))).sort()).toEqual(['user.json']);
  });

  it('reads back what was written, and fills top-level keys missing from the file', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} });
    await store.update((data) => data.users.push({ id: 1, name: 'Ada' }));
    await store.close();
    const again = await openStore<Data>(file, { users: [], lastIds: {}, orders: [] });
    expect(again.data).toEqual({ users: [{ id: 1, name: 'Ada' }], lastIds: {}, orders: [] });
    await again.close();
  });

  it.each([
    ['{"users": [', /is not valid JSON \(.+\); fix it or move it away: microtown never resets a data file/],
    ['[]', /holds an array, not a JSON object/],
    ['3', /holds a number, not a JSON object/],
    ['null', /holds null, not a JSON object/],
    ['{"users": 5}', /: users is a number, not a list of records; fix it or move it away/],
    ['{"users": [{"id": 1}, 7]}', /: users\[1\] is a number, not a record/],
    ['{"users": [], "lastIds": []}', /: lastIds is a list, not an object/],
    ['{"items": [], "lastIds": {}}', /holds items, not users: is it another service's data file\?/],
  ])('refuses %s, naming the file and leaving it untouched', async (content, message) => {
    await mkdir(join(dir, 'data'));
    await writeFile(file, content);
    const opening = openStore<Data>(file, { users: [], lastIds: {} });
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(message);
    await expect(opening).rejects.toThrow(file);
    expect(await readFile(file, 'utf8')).toBe(content);
    // The refusal released the lock: once fixed, the file opens.
    await writeFile(file, '{}');
    await (await openStore<Data>(file, { users: [], lastIds: {} })).close();
  });

  it('removes its own stray temp files and leaves other files alone', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', '.user.json.0123456789ab.tmp'), '{"users": [');
    await writeFile(join(dir, 'data', 'notes.tmp'), 'mine');
    const store = await openStore<Data>(file, { users: [], lastIds: {} });
    expect((await readdir(join(dir, 'data'))).sort()).toEqual([
      'notes.tmp',
      'user.json',
      'user.json.journal',
      'user.json.lock',
    ]);
    await store.close();
  });

  it('in a folder it may not write in, fails in one line naming the file', async () => {
    // /sys refuses new files even to root, as a read-only folder does.
    const opening = openStore('/sys/microtown-store-test.json', { users: [] });
    await expect(opening).rejects.toThrow(StoreError);
    const message = await opening.catch((error: Error) => error.message);
    expect(message).toMatch(
      /^cannot open \/sys\/microtown-store-test\.json: the disk refused to write in \/sys \(E[A-Z]+/,
    );
    expect(message).not.toContain('\n');
  });
});

describe('the journal', () => {
  it('the data file and its journal hold every acknowledged write at once, also while an idle rewrite is under way', async () => {
    const file = join(dir, 'small.json');
    const store = await openStore(file, { notes: [] as { id: number }[] }, { idleMs: 1 });
    for (let id = 0; id < 150; id++) {
      // Every few writes, wait for the idle rewrite to start, so that the next write meets it under way.
      if (id % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      await store.update((data) => data.notes.push({ id }));
      const { data } = await readStoreState(file);
      expect((data.notes as unknown[]).at(-1), `write ${id}`).toEqual({ id });
    }
    await store.close();
  });

  it('holds one line per flush with only what changed, and the data file catches up once idle', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} }, { idleMs: 300 });
    await store.update((data) => {
      for (let id = 0; id < 1000; id++) data.users.push({ id, name: `user ${id}` });
    });
    await sleep(500);
    expect(onDisk().users).toHaveLength(1000);
    const user = store.data.users[500] as Data['users'][number];
    await store.update(() => Object.assign(user, { name: 'Ada', email: 'ada@example.com' }));
    await store.update((data) => {
      data.lastIds.users = 1000;
    });
    const [marker, ...lines] = await journalLines();
    expect(JSON.parse(marker as string)).toEqual({ snapshot: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      [{ c: 'users', id: 500, v: { id: 500, name: 'Ada', email: 'ada@example.com' } }],
      [{ c: 'lastIds', k: 'users', v: 1000 }],
    ]);
    expect(onDisk().users[500]?.name).toBe('user 500');
    await sleep(600);
    expect(onDisk().users[500]?.name).toBe('Ada'); // current within a second of the last write
    expect((await journalLines()).length).toBe(1);
    await store.close();
  });

  it('is replayed at start: what is not in the data file yet is in the journal', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} }, { idleMs: 60_000 });
    await store.update((data) => data.users.push({ id: 1, name: 'Ada' }, { id: 2, name: 'Bo' }));
    await store.update((data) => {
      data.users.splice(0, 1);
      (data.users[0] as Data['users'][number]).name = 'Bob';
    });
    expect(onDisk().users).toEqual([]);
    expect(await reread()).toEqual({ users: [{ id: 2, name: 'Bob' }], lastIds: {} });
    await store.close();
  });

  it('drops a torn last line with a log line, and appends after it cleanly', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} }, { idleMs: 60_000 });
    await store.update((data) => data.users.push({ id: 1, name: 'Ada' }));
    await appendFile(journal, '[{"c":"users","at":1,"rm":0,"add":[{"id":2,"na');
    const lines: string[] = [];
    const copy = join(dir, 'copy', 'user.json');
    await mkdir(join(dir, 'copy'));
    await writeFile(copy, await readFile(file));
    await writeFile(`${copy}.journal`, await readFile(journal));
    const again = await openStore<Data>(copy, { users: [], lastIds: {} }, { log: (l) => lines.push(l) });
    expect(again.data.users).toEqual([{ id: 1, name: 'Ada' }]);
    expect(lines).toEqual([
      expect.stringMatching(/user\.json\.journal: dropped a torn last line \(46 bytes\)/),
    ]);
    await again.update((data) => data.users.push({ id: 3, name: 'Cy' }));
    const text = await readFile(`${copy}.journal`, 'utf8');
    expect(text).not.toContain('"na[');
    await store.close();
    await again.close();
  });

  it('refuses a line in the middle that does not parse, naming the file and the line, and changes nothing', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} }, { idleMs: 60_000 });
    await store.update((data) => data.users.push({ id: 1, name: 'Ada' }));
    await store.update((data) => data.users.push({ id: 2, name: 'Bo' }));
    const text = await readFile(journal, 'utf8');
    await store.close();
    const broken = text.replace('"Ada"', '"Ada');
    await writeFile(journal, broken);
    const opening = openStore<Data>(file, { users: [], lastIds: {} });
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(`${journal} line 2 is not valid JSON`);
    expect(await readFile(journal, 'utf8')).toBe(broken);
  });

  it('refuses a journal that does not follow the data file (edited after a crash)', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} }, { idleMs: 60_000 });
    await store.update((data) => data.users.push({ id: 1, name: 'Ada' }));
    const text = await readFile(journal, 'utf8');
    await store.close();
    await writeFile(journal, text);
    await writeFile(file, '{"users": [], "lastIds": {"users": 7}}');
    await expect(openStore<Data>(file, { users: [], lastIds: {} })).rejects.toThrow(
      /user\.json\.journal holds changes that do not follow .*user\.json: the data file was replaced or edited/,
    );
  });
});

describe('writing', () => {
  it('group-commits concurrent updates, acknowledging each only once it is on disk', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} }, { idleMs: 60_000 });
    await Promise.all(
      Array.from({ length: 500 }, (_, id) =>
        store.update((data) => data.users.push({ id, name: `user ${id}` })),
      ),
    );
    expect(await journalLines()).toHaveLength(2); // the first line says which data file it follows
    expect((await reread()).users.map((u) => u.id)).toEqual(Array.from({ length: 500 }, (_, id) => id));
    await store.close();
  });

  it('update returns what fn returns; a throwing fn leaves the data as it was; an async fn is refused', async () => {
    const store = await openStore<Data>(file, { users: [{ id: 1, name: 'Ada' }], lastIds: {} });
    expect(await store.update((data) => data.users.length)).toBe(1);
    const boom = (data: Data) => {
      data.users.push({ id: 2, name: 'Bo' });
      (data.users[0] as Data['users'][number]).name = 'changed';
      throw new Error('out of stock');
    };
    await expect(store.update(boom)).rejects.toThrow('out of stock');
    expect(store.data.users).toEqual([{ id: 1, name: 'Ada' }]);
    await expect(store.update(async () => 1)).rejects.toThrow(/fn must be synchronous/);
    await store.close();
  });

  it('sees changes through references code keeps to records it added, and fields it adds to them', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} }, { idleMs: 60_000 });
    const ada = { id: 1, name: 'Ada' } as Data['users'][number];
    await store.update((data) => data.users.push(ada));
    expect(store.data.users[0]).toBe(ada);
    await store.update(() => {
      ada.name = 'Ada L.';
      ada.email = 'ada@example.com';
    });
    expect(store.data.users.indexOf(ada)).toBe(0);
    expect(await reread()).toEqual({
      users: [{ id: 1, name: 'Ada L.', email: 'ada@example.com' }],
      lastIds: {},
    });
    await store.close();
  });

  it('sees writes through records that find, filter, forEach and map hand out, and they answer as plain arrays do', async () => {
    const first = await openStore<Data>(file, { users: [], lastIds: {} });
    await first.update((data) =>
      data.users.push({ id: 1, name: 'Ada' }, { id: 2, name: 'Bo' }, { id: 3, name: 'Cy' }),
    );
    await first.close();
    // Records read from the file, not added by this process: only the store's handles see writes to them.
    const store = await openStore<Data>(file, { users: [], lastIds: {} }, { idleMs: 60_000 });
    const { users } = store.data;
    expect(users.find((u) => u.id === 2)).toBe(users[1]);
    expect(users.findLast((u) => u.id < 3)).toBe(users[1]);
    expect(users.findIndex((u) => u.name === 'Cy')).toBe(2);
    expect(users.filter((u) => u.id !== 2)).toEqual([users[0], users[2]]);
    expect(users.some((u, i, list) => list === users && i === 2 && u.name === 'Cy')).toBe(true);
    expect(users.every((u) => u.id > 0)).toBe(true);
    expect(users.map((u) => u.name)).toEqual(['Ada', 'Bo', 'Cy']);
    expect(users.find((u) => u.id === 9)).toBeUndefined();
    await store.update((data) => {
      const bo = data.users.find((u) => u.id === 2);
      if (bo) bo.name = 'Bo B.';
      for (const u of data.users.filter((u) => u.id !== 2)) u.email = `${u.name.toLowerCase()}@example.com`;
      data.users.forEach((u) => {
        if (u.id === 3) u.name = 'Cy C.';
      });
    });
    expect(await reread()).toEqual({
      users: [
        { id: 1, name: 'Ada', email: 'ada@example.com' },
        { id: 2, name: 'Bo B.' },
        { id: 3, name: 'Cy C.', email: 'cy@example.com' },
      ],
      lastIds: {},
    });
    await store.close();
  });

  it('leaves the data file alone while writes come, and rewrites it half a second after the last', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} });
    await store.update((data) => data.users.push({ id: 1, name: 'Ada' }));
    expect(onDisk().users).toEqual([]);
    expect(await readStoreState(file)).toEqual({
      data: { users: [{ id: 1, name: 'Ada' }], lastIds: {} },
      text: readFileSync(file, 'utf8'),
      pending: 1,
    });
    await vi.waitFor(() => expect(onDisk().users).toEqual([{ id: 1, name: 'Ada' }]), {
      timeout: 2000,
      interval: 50,
    });
    expect((await readStoreState(file)).pending).toBe(0);
    await store.close();
  });

  it('close waits for pending writes, and writes everything to the data file', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} });
    void store.update((data) => data.users.push({ id: 1, name: 'Ada' }));
    void store.update((data) => data.users.push({ id: 2, name: 'Bo' }));
    await store.close();
    expect(onDisk().users).toHaveLength(2);
    await expect(stat(journal)).rejects.toThrow(/ENOENT/);
  });

  it('updateSoon changes memory at once and reaches the disk with the next write, or within 100 ms', async () => {
    const store = await openStore<Data>(file, { users: [], lastIds: {} }, { idleMs: 60_000 });
    expect(store.updateSoon((data) => data.users.push({ id: 1, name: 'Ada' }))).toBe(1);
    expect(store.data.users).toHaveLength(1);
    expect(await journalLines()).toHaveLength(1);
    await sleep(200);
    expect(await journalLines()).toHaveLength(2);
    store.updateSoon((data) => data.users.push({ id: 2, name: 'Bo' }));
    await store.close();
    expect(onDisk().users).toHaveLength(2);
    expect(() => store.updateSoon(async () => 1)).toThrow(/fn must be synchronous/);
  });
});

/** Makes every write of this process past the current end of the files fail with EFBIG until `lift()`. */
function fileSizeLimit(bytes: number) {
  const ignore = () => {};
  process.on('SIGXFSZ', ignore);
  execFileSync('prlimit', ['--pid', String(process.pid), `--fsize=${bytes}:unlimited`]);
  return () => {
    execFileSync('prlimit', ['--pid', String(process.pid), '--fsize=unlimited:unlimited']);
    process.off('SIGXFSZ', ignore);
  };
}

describe('when the disk refuses a write', () => {
  it('rejects its writers and those queued behind, leaves memory as it was, and works again after', async () => {
    const store = await openStore<Data>(file, { users: [{ id: 1, name: 'Ada' }], lastIds: {} }, quiet);
    const size = (await stat(journal)).size;
    const lift = fileSizeLimit(size + 10); // part of the next line fits: it must not stay
    let results: PromiseSettledResult<unknown>[];
    try {
      results = await Promise.allSettled([
        store.update((data) => data.users.push({ id: 2, name: 'Bo' })),
        store.update((data) => {
          (data.users[0] as Data['users'][number]).name = 'changed';
        }),
      ]);
      // Queued behind the refused one: its change was made on top of it.
      const later = store.update((data) => (data.lastIds.users = 9));
      results.push(...(await Promise.allSettled([later])));
    } finally {
      lift();
    }
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(DiskRefusedError);
      expect(reason.status).toBe(507);
      expect(reason.message).toMatch(
        /^The disk refused to save this change to user\.json\.journal \(EFBIG\)/,
      );
    }
    expect(store.data).toEqual({ users: [{ id: 1, name: 'Ada' }], lastIds: {} });
    expect((await stat(journal)).size).toBe(size);
    await store.update((data) => data.users.push({ id: 3, name: 'Cy' }));
    expect((await reread()).users).toEqual([
      { id: 1, name: 'Ada' },
      { id: 3, name: 'Cy' },
    ]);
    await store.close();
  });

  it('answers 507 over HTTP with a detail saying so, and the thing is not created', async () => {
    const store = await openStore<ThingsData>(join(dir, 'things.json'), { things: [] }, quiet);
    const { server, url } = await serve(createApp(store), 0);
    const post = () =>
      fetch(`${url}/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'cup', weight: 1 }),
      });
    try {
      const lift = fileSizeLimit((await stat(`${store.file}.journal`)).size);
      let refused: Response;
      try {
        refused = await post();
      } finally {
        lift();
      }
      expect(refused.status).toBe(507);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toEqual({
        detail: expect.stringMatching(
          /^The disk refused to save this change to things\.json\.journal \(EFBIG\); nothing was changed/,
        ),
      });
      expect(await (await fetch(`${url}/things`)).json()).toEqual({ data: [], count: 0 });
      expect((await post()).status).toBe(201);
    } finally {
      await closeServer(server);
      await store.close();
    }
  });
});

const killWriter = fileURLToPath(new URL('./store.kill-writer.ts', import.meta.url));

/** The kill-writer bundled into one file, so that a child starts in ~50 ms rather than tsx's ~500. */
async function bundledWriter(): Promise<string> {
  const out = join(dir, 'kill-writer.mjs');
  await build({
    entryPoints: [killWriter],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'silent',
  });
  return out;
}

function startWriter(script: string, args: string[]) {
  const child = spawn(process.execPath, [script, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MICROTOWN_STORE_CHECK: '0' },
  });
  const io = { out: '', err: '' };
  child.stdout.on('data', (chunk) => (io.out += chunk));
  child.stderr.on('data', (chunk) => (io.err += chunk));
  const exited = new Promise<string | null>((resolve) =>
    child.on('close', (_code, signal) => resolve(signal)),
  );
  return { child, io, exited };
}

describe('one process per data file', () => {
  it('refuses a second process, naming the first; a lock left by a kill -9 does not block', async () => {
    const { child, io, exited } = startWriter(await bundledWriter(), [file, '10']);
    try {
      await vi.waitUntil(() => io.out.startsWith('ready\n') || io.err, { timeout: 10_000, interval: 20 });
      const opening = openStore(file, { records: [] }, quiet);
      await expect(opening).rejects.toThrow(StoreError);
      await expect(opening).rejects.toThrow(
        new RegExp(`^${file.replace(/[.]/g, '\\.')} is in use by process ${child.pid} \\(since `),
      );
    } finally {
      killGroup(child.pid as number);
    }
    await exited;
    const lines: string[] = [];
    const store = await openStore(file, { records: [] }, { log: (l) => lines.push(l) });
    expect(lines).toContainEqual(`${file}: process ${child.pid} held it and is gone; taking over its lock`);
    await store.close();
  });
});

describe('kill -9 at random moments', () => {
  it('never loses an acknowledged write, in 200 kills mid-append, mid-compaction and mid-rename', async () => {
    const script = await bundledWriter();
    let torn = 0;
    let kept = 0;
    /** One data file, written by 50 writers in turn, each killed at a random moment. */
    const lives = async (file: string) => {
      const acknowledged = new Set<number>();
      for (let life = 0; life < 50; life++) {
        const compactBytes = String(2000 + ((life * 997) % 20000));
        const { child, io, exited } = startWriter(script, [file, '2000', compactBytes]);
        try {
          await vi.waitUntil(() => io.out.startsWith('ready\n') || /Error/.test(io.err), {
            timeout: 20_000,
            interval: 5,
          });
          expect(io.err).not.toMatch(/Error/);
          await sleep(Math.random() * 100);
          // The data file is whole at every moment: written beside, then renamed.
          JSON.parse(await readFile(file, 'utf8'));
        } finally {
          killGroup(child.pid as number);
        }
        expect(await exited).toBe('SIGKILL');
        for (const id of io.out.split('\n').slice(1, -1)) acknowledged.add(Number(id));
        torn += io.err.split('torn').length - 1;
        // Every other life starts from what the crash left; the others after a check here and a clean stop.
        if (life % 2 === 1) continue;
        const store = await openStore<{ records: { id: number }[] }>(file, { records: [] }, quiet);
        const stored = new Set(store.data.records.map((r) => r.id));
        expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
        await store.close();
      }
      kept += acknowledged.size;
    };
    await Promise.all([1, 2, 3, 4].map((n) => lives(join(dir, `writer-${n}`, 'data.json'))));
    expect(kept).toBeGreaterThan(2000);
    console.log(
      `kill -9: 200 kills, ${kept} acknowledged writes all kept, ${torn} torn journal lines dropped`,
    );
  }, 180_000);
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
