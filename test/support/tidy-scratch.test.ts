import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { keptFolder, setup, tidy } from './tidy-scratch.js';

let folder: string;
afterEach(() => rm(folder, { recursive: true, force: true }));

it('removes the folders tests kept for later, and nothing else in .tmp/', async () => {
  folder = await mkdtemp(join(tmpdir(), 'microtown-tidy-'));
  const left = ['kept-grade-1Gac7X', 'kept-classroom-fbdYrg'];
  const kept = ['notes.md', 'grade-report', 'compose-test-Ab12Cd', 'my-kept-grade'];
  for (const name of left) await mkdir(join(folder, name, 'html'), { recursive: true });
  for (const name of kept) await writeFile(join(folder, name), 'x');
  await tidy(folder);
  expect((await readdir(folder)).sort()).toEqual([...kept].sort());
  await expect(tidy(join(folder, 'missing'))).resolves.toBeUndefined();
});

it('makes each kept folder fresh, under a name the teardown removes', async () => {
  folder = await keptFolder('tidy-test');
  expect(basename(folder)).toMatch(/^kept-tidy-test-\w{6}$/);
  expect(await readdir(folder)).toEqual([]);
});

it("tidies only after a run rooted at the repository, not a scratch town's own run inside it", () => {
  const repo = join(import.meta.dirname, '..', '..');
  expect(setup({ config: { root: repo } })).toBeTypeOf('function');
  expect(setup({ config: { root: join(repo, '.tmp', 'town-services-Ab12Cd') } })).toBeUndefined();
});
