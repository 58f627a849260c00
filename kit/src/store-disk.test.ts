import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, freePort, spawnChild } from '../testing/child.js';
import type { Reply } from '../testing/test-app.js';
import { DiskRefusedError } from './errors.js';
import { openStore } from './store.js';

// The disks these tests need are real: a tiny tmpfs, or a read-only bind mount, each mounted in a mount namespace
// of the process under test only (`unshare -rm`, no root needed where user namespaces are allowed), so nothing
// outside it sees them. The test reaches that file system through /proc/<pid>/root.
const SERVER = join(import.meta.dirname, '..', 'example', 'server.ts');
const canMount =
  process.platform === 'linux' &&
  spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=8k tmpfs ${tmpdir()}`]).status === 0;
const isRoot = process.getuid?.() === 0;
// As nobody, the service must still read its own code: a checkout under a folder only root may enter (a 0700 temp
// folder) cannot be run that way.
const canDropRoot =
  isRoot &&
  spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-r', SERVER]).status ===
    0;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kit-store-disk-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `command` in its own mount namespace, where `script` (sh, `$0` is `folder`) has set `folder` up first. */
function inNamespace(script: string, folder: string, command: string[]) {
  return ['unshare', '-rm', 'sh', '-c', `${script} && exec "$@"`, folder, ...command];
}

function startThings(command: string[], env: NodeJS.ProcessEnv): Child {
  const [program = '', ...args] = command;
  return spawnChild(program, args, { env: { LOG_LEVEL: 'warn', ...env } });
}

const thing = (name: string) => ({ name, weight: 1 });
type Note = { text: string };

describe.skipIf(!canMount)('a real service whose disk fills up', () => {
  it('answers 507 naming the refusal, shows nothing of it, and does not save it with the next good write', async () => {
    const folder = await mkdtemp(join(dir, 'full-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const command = [process.execPath, '--import', 'tsx', SERVER];
    const child = startThings(inNamespace('mount -t tmpfs -o size=64k tmpfs "$0"', folder, command), {
      PORT: String(port),
      DATA_FILE: join(folder, 'things.json'),
    });
    try {
      await child.waitFor(/things service listening/);
      const there = `/proc/${child.process.pid}/root${folder}`;
      const post = async (name: string): Promise<Reply & { headers: Headers }> => {
        const response = await fetch(`${url}/things`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(thing(name)),
        });
        return { status: response.status, headers: response.headers, json: await response.json() };
      };
      const names = async () =>
        ((await (await fetch(`${url}/things`)).json()) as { data: { name: string }[] }).data.map(
          (t) => t.name,
        );

      // Fill the disk. The journal's last page still takes a few lines; then the disk refuses.
      await writeFile(join(there, 'filler'), Buffer.alloc(64 << 10)).catch(() => {});
      const kept: string[] = [];
      let refused: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 0; i < 200 && !refused; i++) {
        const answer = await post(`kept-${i}`);
        if (answer.status === 201) kept.push(`kept-${i}`);
        else refused = answer;
      }
      expect(refused?.status).toBe(507);
      expect(refused?.headers.get('retry-after')).toBe('5');
      expect(refused?.json.detail).toMatch(
        /^The disk refused to save this change to things\.json\.journal \(ENOSPC\); nothing was changed\./,
      );
      expect((await post('refused-again')).status).toBe(507);
      expect(await names()).toEqual(kept);

      await rm(join(there, 'filler'));
      expect((await post('after')).status).toBe(201);
      expect(await names()).toEqual([...kept, 'after']);
      const onDisk =
        (await readFile(join(there, 'things.json'), 'utf8')) +
        (await readFile(join(there, 'things.json.journal'), 'utf8').catch(() => ''));
      expect(onDisk).toContain('"after"');
      expect(onDisk).not.toContain(`"kept-${kept.length}"`); // the first refused
      expect(onDisk).not.toContain('refused-again');
    } finally {
      await child.stop('SIGKILL');
    }
  });
});

/** Starts the example service and expects one line naming the folder and the reason, exit 1, no stack. */
async function expectRefusedStart(command: string[], dataFile: string, pattern: RegExp) {
  const child = startThings(command, { PORT: String(await freePort()), DATA_FILE: dataFile });
  expect(await child.exited()).toBe(1);
  // One line in all, so no stack trace either.
  expect(child.output().trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
}

describe('starting with no data file where the disk refuses to write', () => {
  const node = [process.execPath, '--import', 'tsx', SERVER];

  it.skipIf(!canMount)('in a read-only folder: one line naming the folder and EROFS', async () => {
    const folder = await mkdtemp(join(dir, 'ro-'));
    const readOnly = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0"';
    await expectRefusedStart(
      inNamespace(readOnly, folder, node),
      join(folder, 'things.json'),
      new RegExp(
        `^things service: cannot open ${folder}/things\\.json: the disk refused to write in ${folder} \\(EROFS`,
      ),
    );
  });

  it.skipIf(!canMount)(
    'in a folder still to be made inside a read-only one: names that one and EROFS',
    async () => {
      const folder = await mkdtemp(join(dir, 'ro-'));
      const readOnly = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0"';
      await expectRefusedStart(
        inNamespace(readOnly, folder, node),
        join(folder, 'data', 'deeper', 'things.json'),
        new RegExp(
          `^things service: cannot open .*/things\\.json: the disk refused to write in ${folder} \\(EROFS`,
        ),
      );
    },
  );

  it.skipIf(isRoot && !canDropRoot)(
    'in a folder this user may not write in: one line naming it and EACCES',
    async () => {
      const folder = await mkdtemp(join(dir, 'locked-'));
      await mkdir(join(folder, 'data'));
      await chmod(join(folder, 'data'), 0o555);
      await chmod(dir, 0o755);
      await chmod(folder, 0o755);
      // Root may write anywhere: the service runs as nobody then.
      const asUser = isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
      await expectRefusedStart(
        asUser,
        join(folder, 'data', 'things.json'),
        new RegExp(
          `^things service: cannot open .*/things\\.json: the disk refused to write in ${folder}/data \\(EACCES`,
        ),
      );
    },
  );
});

describe.skipIf(!canMount)('stopping a real service when its folder has turned read-only', () => {
  it('exits 0 with a line saying what stays on disk, no stack', async () => {
    const folder = await mkdtemp(join(dir, 'turns-ro-'));
    const port = await freePort();
    const command = [process.execPath, '--import', 'tsx', SERVER];
    const child = startThings(inNamespace('true', folder, command), {
      PORT: String(port),
      DATA_FILE: join(folder, 'things.json'),
    });
    await child.waitFor(/things service listening/);
    const posted = await fetch(`http://127.0.0.1:${port}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(thing('kept')),
    });
    expect(posted.status).toBe(201);
    // A read-only mount on top of the folder, in the service's namespace: what it opens from now on is refused.
    const pid = String(child.process.pid);
    const readOnly = `mount --bind ${folder} ${folder} && mount -o remount,bind,ro ${folder}`;
    const turned = spawnSync('nsenter', [
      '-t',
      pid,
      '-U',
      '-m',
      '--preserve-credentials',
      'sh',
      '-c',
      readOnly,
    ]);
    expect(turned.stderr.toString()).toBe('');
    expect(await child.stop('SIGTERM')).toBe(0);
    expect(child.output()).not.toMatch(/\n\s+at /);
    expect(child.output()).toMatch(/things\.json: its lock could not be removed \(EROFS/);

    // Once the folder is writable again (the namespace went with the process), the next start has it all.
    const again = startThings(command, { PORT: String(port), DATA_FILE: join(folder, 'things.json') });
    try {
      await again.waitFor(/things service listening/);
      const { data } = (await (await fetch(`http://127.0.0.1:${port}/things`)).json()) as { data: unknown[] };
      expect(data).toEqual([expect.objectContaining({ name: 'kept' })]);
    } finally {
      await again.stop('SIGTERM');
    }
  });
});

describe('onUndo', () => {
  it('is told when an update is undone, so that an index kept beside the data can be rebuilt', async () => {
    const store = await openStore(join(dir, 'undo.json'), { notes: [] as Note[] });
    let undone = 0;
    store.onUndo(() => undone++);
    await store.update((data) => data.notes.push({ text: 'kept' }));
    await expect(
      store.update((data) => {
        data.notes.push({ text: 'thrown' });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(undone).toBe(1);
    expect(store.data.notes).toEqual([{ text: 'kept' }]);
    await store.close();
  });

  it.skipIf(!canMount)('is told when the disk refused a write, and the data is as before it', async () => {
    // This process opens a store on a tiny tmpfs that a sleeping process holds in its own mount namespace.
    const folder = await mkdtemp(join(dir, 'tiny-'));
    const holder = spawnChild('unshare', [
      '-rm',
      'sh',
      '-c',
      'mount -t tmpfs -o size=32k tmpfs "$0" && echo ready && exec sleep 600',
      folder,
    ]);
    try {
      await holder.waitFor(/ready/);
      const there = `/proc/${holder.process.pid}/root${folder}`;
      const logged: string[] = [];
      const log = (line: string) => logged.push(line);
      const store = await openStore(join(there, 'undo.json'), { notes: [] as Note[] }, { log });
      let undone = 0;
      store.onUndo(() => undone++);
      await writeFile(join(there, 'filler'), Buffer.alloc(32 << 10)).catch(() => {});
      let refusal: unknown;
      for (let i = 0; i < 500 && !refusal; i++) {
        await store
          .update((data) => data.notes.push({ text: `note-${i}` }))
          .catch((error: unknown) => {
            refusal = error;
          });
      }
      expect(refusal).toBeInstanceOf(DiskRefusedError);
      expect(refusal).toMatchObject({ code: 'ENOSPC', status: 507 });
      expect(undone).toBe(1);
      const kept = [...store.data.notes];
      expect(kept.at(-1)).toEqual({ text: `note-${kept.length - 1}` });
      expect(logged.every((line) => line.includes('the journal still holds everything'))).toBe(true);
      await rm(join(there, 'filler'));
      await store.update((data) => data.notes.push({ text: 'after' }));
      expect(store.data.notes).toEqual([...kept, { text: 'after' }]);
      await store.close();
      const reread = await openStore(join(there, 'undo.json'), { notes: [] as Note[] }, { log });
      expect(reread.data.notes).toEqual([...kept, { text: 'after' }]);
      await reread.close();
    } finally {
      await holder.stop('SIGKILL');
    }
  });

  it('answers 507 when the disk is full and 503 for another refusal', () => {
    expect(new DiskRefusedError('/x/a.json.journal', 'ENOSPC').status).toBe(507);
    expect(new DiskRefusedError('/x/a.json.journal', 'EROFS')).toMatchObject({
      status: 503,
      message: expect.stringMatching(/^The disk refused to save this change to a\.json\.journal \(EROFS\)/),
    });
  });
});
