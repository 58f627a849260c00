import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runMain } from '../../test/support/run-main.js';
import { main } from '../compose.js';
import { REPO } from './render.js';

export const exec = promisify(execFile);

/**
 * A scratch project for one test file, inside the repository's git-ignored .tmp/ (so the generators and
 * `@microtown/kit` resolve): the real services' manifests, and a playground workspace when asked.
 */
export async function scratchProject(prefix: string, { playground = true } = {}): Promise<string> {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  const root = await mkdtemp(join(REPO, '.tmp', `${prefix}-`));
  for (const entry of await readdir(join(REPO, 'services'))) {
    const manifest = join(REPO, 'services', entry, 'service.json');
    if (!existsSync(manifest)) continue;
    await mkdir(join(root, 'services', entry), { recursive: true });
    await cp(manifest, join(root, 'services', entry, 'service.json'));
  }
  if (playground) {
    await mkdir(join(root, 'playground'), { recursive: true });
    await writeFile(join(root, 'playground', 'package.json'), '{ "name": "@microtown/playground" }\n');
  }
  return root;
}

/** `npm run compose -- <argv>` in this process, against `root`: exit code and what it printed. */
export const compose = (root: string, ...argv: string[]) => runMain(main, root, argv);

export { snapshot } from '../../test/support/snapshot.js';

export async function manifest(root: string, name: string, change: Record<string, unknown>): Promise<void> {
  const file = join(root, 'services', `${name}-service`, 'service.json');
  const before = existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : { calls: [] };
  await mkdir(join(root, 'services', `${name}-service`), { recursive: true });
  await writeFile(file, `${JSON.stringify({ ...before, name, ...change }, null, 2)}\n`);
}

/** One instruction of a Dockerfile, continuation lines joined: `{ op: 'RUN', args: 'npm ci ...' }`. */
export interface Instruction {
  op: string;
  args: string;
}

/** The stages of a Dockerfile, each a list of instructions, its `FROM` first. */
export function dockerStages(text: string): Instruction[][] {
  const joined = text.replace(/\\\n\s*/g, '');
  const stages: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const match = /^([A-Z]+)\s+(.*)$/.exec(line.trim());
    if (!match?.[1] || match[2] === undefined || line.trim().startsWith('#')) continue;
    const instruction = { op: match[1], args: match[2] };
    if (instruction.op === 'FROM') stages.push([instruction]);
    else stages.at(-1)?.push(instruction);
  }
  return stages;
}
