import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { dockerStages, exec, type Instruction } from './testing.js';

/** What a simulated build leaves: the image's /town as a folder, and what its last stage declares. */
export interface Image {
  dir: string;
  env: Record<string, string>;
  user?: string;
  volumes: string[];
  exposed: number[];
  /** Exec form of HEALTHCHECK's CMD and of CMD. */
  healthcheck: string[];
  cmd: string[];
  /** Final-stage RUN lines: they prepare the image's file system (e.g. /data), so they are noted, not run. */
  notRun: string[];
  /** The `npm ci` lines of each stage, by stage name. */
  installs: Record<string, string[]>;
}

const WORKDIR = '/town';

/** The build context's .dockerignore, as a test on paths relative to the context. */
async function ignored(context: string): Promise<(path: string) => boolean> {
  const text = await readFile(join(context, '.dockerignore'), 'utf8').catch(() => '');
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  return (path) =>
    patterns.some((pattern) => {
      const parts = path.split('/');
      if (pattern.startsWith('**/')) return parts.includes(pattern.slice(3));
      return path === pattern || path.startsWith(`${pattern}/`);
    });
}

/**
 * Builds a Dockerfile without Docker, as far as a test can: each stage's WORKDIR is a folder under `scratch`, COPY
 * copies (honouring .dockerignore), `npm ci` links this repository's node_modules instead of installing, other RUN
 * lines run in the stage's folder. It proves the COPY lines bring what the build needs and the result runs.
 */
export async function simulateImage(dockerfile: string, context: string, scratch: string): Promise<Image> {
  const isIgnored = await ignored(context);
  const stages = dockerStages(dockerfile);
  const dirs = new Map<string, string>();
  const installs: Record<string, string[]> = {};
  let image: Image | undefined;
  for (const [index, stage] of stages.entries()) {
    const name = /\bAS\s+(\S+)/i.exec(stage[0]?.args ?? '')?.[1] ?? `stage-${index}`;
    const dir = join(scratch, name);
    await mkdir(dir, { recursive: true });
    dirs.set(name, dir);
    image = { dir, env: {}, volumes: [], exposed: [], healthcheck: [], cmd: [], notRun: [], installs: {} };
    const last = index === stages.length - 1;
    for (const { op, args } of stage.slice(1)) {
      await step(image, { op, args }, { context, dirs, last, isIgnored });
    }
    installs[name] = stage.filter((i) => i.op === 'RUN' && i.args.startsWith('npm ci')).map((i) => i.args);
  }
  if (!image) throw new Error('the Dockerfile has no FROM');
  return { ...image, installs };
}

interface StepContext {
  context: string;
  dirs: Map<string, string>;
  last: boolean;
  isIgnored: (path: string) => boolean;
}

async function step(image: Image, { op, args }: Instruction, ctx: StepContext): Promise<void> {
  switch (op) {
    case 'WORKDIR':
      if (args !== WORKDIR) throw new Error(`the simulation expects WORKDIR ${WORKDIR}, not ${args}`);
      return;
    case 'ENV':
      for (const pair of args.split(/\s+/)) {
        const [key = '', ...value] = pair.split('=');
        image.env[key] = value.join('=');
      }
      return;
    case 'COPY':
      return copy(image.dir, args, ctx);
    case 'RUN':
      if (args.startsWith('npm ci')) {
        if (!existsSync(join(image.dir, 'node_modules'))) {
          await symlink(join(ctx.context, 'node_modules'), join(image.dir, 'node_modules'));
        }
      } else if (ctx.last) image.notRun.push(args);
      else await exec('sh', ['-c', args], { cwd: image.dir, env: { ...process.env, ...image.env } });
      return;
    case 'USER':
      image.user = args;
      return;
    case 'VOLUME':
      image.volumes.push(...args.split(/\s+/));
      return;
    case 'EXPOSE':
      image.exposed.push(...args.split(/\s+/).map(Number));
      return;
    case 'HEALTHCHECK':
      image.healthcheck = JSON.parse(args.replace(/^.*?\bCMD\s+/, ''));
      return;
    case 'CMD':
      image.cmd = JSON.parse(args);
      return;
    default:
      throw new Error(`the simulation does not know ${op}`);
  }
}

async function copy(dir: string, args: string, ctx: StepContext): Promise<void> {
  const words = args.split(/\s+/);
  const from = words[0]?.startsWith('--from=') ? words.shift()?.slice('--from='.length) : undefined;
  const dest = words.pop() ?? '.';
  for (const source of words) {
    let src: string;
    let filter: ((path: string) => boolean) | undefined;
    if (from === undefined) {
      src = join(ctx.context, source);
      filter = (path) => !ctx.isIgnored(relative(ctx.context, path).split(/[\\/]/).join('/'));
    } else {
      const stageDir = ctx.dirs.get(from);
      if (!stageDir) throw new Error(`COPY --from=${from}: no such stage`);
      src = join(stageDir, relative(WORKDIR, source));
    }
    if (!existsSync(src)) throw new Error(`COPY ${source}: not found (${src})`);
    const into = dest.endsWith('/') || dest === '.' || dest === './';
    const target = join(dir, dest, into ? (source.split('/').pop() ?? '') : '');
    await mkdir(dirname(target), { recursive: true });
    await cp(src, target, { recursive: true, filter, verbatimSymlinks: true });
  }
}
