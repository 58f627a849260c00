import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test/support/run-main.js';
import { snapshot as snapshotFiles } from '../test/support/snapshot.js';
import { main } from './cli.js';
import { BEFORE, JOURNAL, type Journal } from './journal.js';
import { generate, REPO } from './run.js';

/** A change that rewrites an existing service: 5 files modified, 2 created. */
const CHANGE = ['resource', 'shipping', 'parcel', 'label:string,weight:number'];
const SERVICE = 'services/shipping-service';
/** The test-only hook holds the generator this long after each rename, so that a kill lands between two of them. */
const PAUSE_MS = 200;

type Files = Record<string, string>;
let base: string;
let before: Files;
let after: Files;
let driver: string;

const service = (root: string) => snapshotFiles(join(root, SERVICE), ['node_modules', 'data']);
const changed = (files: Files) =>
  Object.keys(after).filter((path) => files[path] !== undefined && files[path] !== before[path]).length;
const same = (a: Files, b: Files) =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((path) => a[path] === b[path]);
const state = (files: Files) =>
  same(files, before)
    ? 'old'
    : same(files, after)
      ? 'new'
      : `mixed (${changed(files)} of the changed files new)`;

beforeAll(async () => {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  base = await mkdtemp(join(REPO, '.tmp', 'interrupted-test-'));
  const project = join(base, 'project');
  await generate('service', ['shipping', '4105'], { root: project });
  before = await service(project);
  const done = join(base, 'done');
  await cp(project, done, { recursive: true });
  await generate(CHANGE[0] as string, CHANGE.slice(1), { root: done });
  after = await service(done);
  // The command line's own `main`, in a process of its own, on the given project instead of the repository.
  driver = join(base, 'cli.ts');
  await writeFile(
    driver,
    `import { main } from ${JSON.stringify(join(REPO, 'generators/cli.ts'))};\n` +
      'const [root, ...argv] = process.argv.slice(2);\n' +
      'process.exitCode = await main(argv, { out: console.log, err: console.error, root });\n',
  );
}, 60_000);

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

/**
 * Copies the project, starts the generator on it and kills its process group with SIGKILL: once a staging folder
 * appears in .tmp/ (plus a random 0-300 ms), or once `renames` files of the service show their new version.
 */
async function killed(at: 'staged' | number): Promise<string> {
  const root = await mkdtemp(join(base, 'trial-'));
  await cp(join(base, 'project'), root, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', driver, root, ...CHANGE], {
    cwd: REPO,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, GENERATE_PAUSE_AFTER_RENAME_MS: String(PAUSE_MS) },
  });
  let exit: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      exit = code;
      resolve();
    }),
  );
  const due = async () => {
    if (at === 'staged') return (await readdir(join(root, '.tmp')).catch(() => [])).length > 0;
    return changed(await service(root)) >= at;
  };
  while (exit === undefined && !(await due())) await sleep(5);
  if (at === 'staged') await sleep(Math.random() * 300);
  if (exit !== undefined) throw new Error(`the generator ended (exit ${exit}) before the kill point ${at}`);
  process.kill(-(child.pid as number), 'SIGKILL');
  await exited;
  return root;
}

describe('kill -9 while the generator rewrites an existing service', () => {
  it('leaves it all old or all new after the next run, and no staging folder', async () => {
    const points = ['staged', 1, 4, 7] as const;
    const roots = await Promise.all(points.map((at) => killed(at)));
    const outcomes = [];
    for (const [i, root] of roots.entries()) {
      // The next run of the generator, whatever its command, finishes or undoes what was interrupted.
      const next = await runMain(main, root, ['--help']);
      const files = await service(root);
      // The generator's own check: the change is either still to make, or made and refused a second time.
      const again = await runMain(main, root, CHANGE);
      outcomes.push({
        at: points[i],
        state: state(files),
        said: next.out[0]?.startsWith('generate: ') ? next.out[0] : undefined,
        left: await readdir(join(root, '.tmp')),
        again: again.code === (state(files) === 'old' ? 0 : 1) && state(await service(root)) === 'new',
      });
    }
    const said =
      /^generate: (finished|undid) an interrupted change to services\/shipping-service \(8 files\)$/;
    expect(outcomes).toEqual(
      points.map((at) => ({
        at,
        state: expect.stringMatching(/^(old|new)$/),
        said: at === 'staged' ? undefined : expect.stringMatching(said),
        left: [],
        again: true,
      })),
    );
  }, 30_000);
});

describe('what the next run finds in .tmp/', () => {
  /** A pid no process has (above Linux's highest), as a run that was killed leaves behind. */
  const dead = 999_999_999;

  it('undoes a change that a killed run was undoing', async () => {
    const root = await mkdtemp(join(base, 'undo-'));
    await cp(join(base, 'project'), root, { recursive: true });
    const staging = join(root, '.tmp', `generate-${dead}-undo01`);
    const paths = Object.keys(after).filter((path) => after[path] !== before[path]);
    const files = paths.map((path) => ({ path, created: before[path] === undefined }));
    for (const [i, { path, created }] of files.entries()) {
      const text = await readFile(join(base, 'done', SERVICE, path), 'utf8');
      // The first three were renamed into the service, the others are still in the stage.
      const where = i < 3 ? join(root, SERVICE, path) : join(staging, 'shipping-service', path);
      await mkdir(join(where, '..'), { recursive: true });
      await writeFile(where, text);
      if (created) continue;
      await mkdir(join(staging, BEFORE, path, '..'), { recursive: true });
      await writeFile(join(staging, BEFORE, path), await readFile(join(base, 'project', SERVICE, path)));
    }
    const journal: Journal = { folder: SERVICE, staged: 'shipping-service', state: 'undo', files };
    await writeFile(join(staging, JOURNAL), JSON.stringify(journal));
    expect(state(await service(root))).toMatch(/^mixed/);
    const next = await runMain(main, root, ['--help']);
    expect(next.out[0]).toBe('generate: undid an interrupted change to services/shipping-service (8 files)');
    expect(state(await service(root))).toBe('old');
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('removes the staging folders of runs that are gone, and keeps those of runs still alive', async () => {
    const root = await mkdtemp(join(base, 'stale-'));
    const live = `generate-${process.pid}-live01`;
    for (const name of [`generate-${dead}-gone01`, 'generate-Ab12cd', live, 'a-project-of-a-test'])
      await mkdir(join(root, '.tmp', name, 'shipping-service'), { recursive: true });
    // A folder of an older version, without a pid, is stale once it is two hours old.
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(root, '.tmp', 'generate-Ab12cd'), twoHoursAgo, twoHoursAgo);
    const { code, out } = await runMain(main, root, ['--help']);
    expect({ code, first: out[0] }).toEqual({ code: 0, first: expect.stringMatching(/^usage: /) });
    expect((await readdir(join(root, '.tmp'))).sort()).toEqual(['a-project-of-a-test', live]);
  });
});
