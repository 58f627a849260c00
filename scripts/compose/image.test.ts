import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, spawnChild } from '@microtown/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, renderTown } from './render.js';
import { type Image, simulateImage } from './simulate-image.js';
import { dockerStages, exec } from './testing.js';
import { readTown } from './town.js';

// The Dockerfiles `npm run compose` would write for this repository, built without Docker (see simulateImage).
const town = await readTown(REPO);
const files = await renderTown(town, 'compose');
const dockerfile = (path: string) => files.find((f) => f.path === path)?.text ?? '';
const images = [
  ...town.services.map((s) => ({ name: s.name, path: `${s.folder}/Dockerfile`, dir: s.folder, data: true })),
  ...(town.playground
    ? [{ name: 'playground', path: 'playground/Dockerfile', dir: 'playground', data: false }]
    : []),
];

let scratch: string;

beforeAll(async () => {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  scratch = await mkdtemp(join(REPO, '.tmp', 'image-test-'));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Package names the bundle imports at load time (esbuild's ESM output: one `import ... from "x";` per line). */
function staticImports(bundle: string): string[] {
  const paths = [...bundle.matchAll(/^import\s(?:[^;]*?\sfrom\s*)?"([^"]+)";/gm)].map((m) => m[1] ?? '');
  const packages = paths
    .filter((p) => !p.startsWith('node:') && !p.startsWith('.'))
    .map((p) =>
      p
        .split('/')
        .slice(0, p.startsWith('@') ? 2 : 1)
        .join('/'),
    );
  return [...new Set(packages)].sort();
}

/** What `npm ci --omit=dev --workspace=<dir>` installs for the code itself: its dependencies and the kit's. */
async function productionDependencies(dir: string): Promise<Set<string>> {
  const deps = async (folder: string) =>
    Object.keys(JSON.parse(await readFile(join(REPO, folder, 'package.json'), 'utf8')).dependencies ?? {});
  return new Set([...(await deps(dir)), ...(await deps('kit'))]);
}

describe('the town has images to build', () => {
  it('finds the four services and the playground', () => {
    expect(images.map((i) => i.name)).toEqual(
      expect.arrayContaining(['user', 'inventory', 'orders', 'notification']),
    );
    expect(images.map((i) => i.name)).toContain('playground');
  });
});

describe.each(images)('the $name image', ({ name, path, dir }) => {
  const stages = dockerStages(dockerfile(path));
  const final = stages.at(-1) ?? [];
  let image: Image;

  it('is multi-stage: the last stage copies a bundle and production dependencies, never the sources', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(final[0]?.args).toBe('node:20-slim');
    const copies = final.filter((i) => i.op === 'COPY');
    // From the build context, only the manifests (the playground reads them to know the town).
    const fromContext = copies.filter((i) => !i.args.startsWith('--from='));
    expect(fromContext.filter((i) => !/^services\/[a-z0-9-]+-service\/service\.json /.test(i.args))).toEqual(
      [],
    );
    const modules = copies.find((i) => i.args.endsWith(' node_modules'));
    const from = /^--from=(\S+)/.exec(modules?.args ?? '')?.[1];
    const deps = stages.find((s) => s[0]?.args.endsWith(` AS ${from}`)) ?? [];
    const installs = deps.filter((i) => i.op === 'RUN' && i.args.startsWith('npm ci'));
    expect(installs).toHaveLength(1);
    expect(installs[0]?.args).toMatch(new RegExp(`--omit=dev .*--workspace=${dir}$`));
    expect(final.some((i) => i.op === 'RUN' && i.args.includes('npm '))).toBe(false);
  });

  it('runs as the unprivileged user node, on 0.0.0.0, with a health check on /health', () => {
    const ops = final.map((i) => i.op);
    expect(final.find((i) => i.op === 'USER')?.args).toBe('node');
    expect(ops.indexOf('USER')).toBeLessThan(ops.indexOf('CMD'));
    const env = final.find((i) => i.op === 'ENV')?.args ?? '';
    expect(env).toContain('HOST=0.0.0.0');
    expect(final.find((i) => i.op === 'HEALTHCHECK')?.args).toContain('/health');
  });

  it('builds from the repository root with what its COPY lines bring', async () => {
    image = await simulateImage(dockerfile(path), REPO, join(scratch, name));
    expect(image.cmd[0]).toBe('node');
    expect(existsSync(join(image.dir, image.cmd[1] ?? 'missing'))).toBe(true);
    expect(existsSync(join(image.dir, 'kit'))).toBe(false);
  });

  it('its bundle needs, at start, only production dependencies', async () => {
    const bundle = await readFile(join(image.dir, image.cmd[1] ?? ''), 'utf8');
    const needed = staticImports(bundle);
    expect(needed).toContain('express');
    const production = await productionDependencies(dir);
    expect(needed.filter((pkg) => !production.has(pkg))).toEqual([]);
  });

  it('starts from its CMD and answers its HEALTHCHECK', async () => {
    const port = await freePort();
    const env = {
      ...image.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_FILE: join(image.dir, 'data.json'),
    };
    const [command = 'node', ...args] = image.cmd;
    const child = spawnChild(command, args, { cwd: image.dir, env });
    const [probe = 'node', ...probeArgs] = image.healthcheck;
    try {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const ok = await exec(probe, probeArgs, { env: { ...process.env, PORT: String(port) } }).then(
          () => true,
          () => false,
        );
        if (ok) break;
        if (child.process.exitCode !== null || Date.now() > deadline) throw new Error(child.output());
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await health.json()).toEqual({ status: 'ok', service: name });
      if (name === 'playground') {
        const page = await fetch(`http://127.0.0.1:${port}/`);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
      }
    } finally {
      await child.stop();
    }
    await expect(exec(probe, probeArgs, { env: { ...process.env, PORT: String(port) } })).rejects.toThrow();
  });
});

describe.each(images.filter((i) => i.data))('the $name image and its data', ({ name, path }) => {
  const final = dockerStages(dockerfile(path)).at(-1) ?? [];

  it('keeps its data file in a volume that the user node may write', () => {
    const env = final.find((i) => i.op === 'ENV')?.args ?? '';
    expect(env).toContain(`DATA_FILE=/data/${name}.json`);
    expect(final.find((i) => i.op === 'VOLUME')?.args).toBe('/data');
    const ops = final.map((i) => `${i.op} ${i.args}`);
    const chown = ops.indexOf('RUN mkdir /data && chown node:node /data');
    expect(chown).toBeGreaterThan(-1);
    expect(chown).toBeLessThan(ops.indexOf('VOLUME /data'));
    expect(chown).toBeLessThan(ops.indexOf('USER node'));
  });
});
