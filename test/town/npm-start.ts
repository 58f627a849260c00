import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type Child, spawnChild } from '@microtown/kit/testing';
import { PLAYGROUND_PORT, readServices } from '@microtown/kit/town';

const ROOT = join(import.meta.dirname, '..', '..');

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** An offset that moves every port of the town onto ports that are free right now. */
export async function freeOffset(ports: number[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const offset = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await Promise.all(ports.map((p) => canListen(p + offset)))).every(Boolean)) return offset;
  }
  throw new Error('no free range of ports for the town');
}

/**
 * A copy of the town's services/ in a folder of its own under the repository's .tmp/ (so that they still find
 * @microtown/kit), for a test that edits a service's files while `npm start` runs it.
 */
export async function copyTown(): Promise<string> {
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  const root = await mkdtemp(join(ROOT, '.tmp', 'town-'));
  await cp(join(ROOT, 'services'), join(root, 'services'), {
    recursive: true,
    filter: (source) => !/[/\\](data|node_modules)$/.test(source),
  });
  return root;
}

export interface NpmStart {
  child: Child;
  offset: number;
  url(service: string): string;
  playground: string;
}

/** `npm start` (scripts/start.ts) on free ports, with data in `dataDir`, for the town in `root` if given. */
export async function npmStart(
  dataDir: string,
  options: { root?: string; args?: string[]; env?: Record<string, string> } = {},
): Promise<NpmStart> {
  const services = await readServices(options.root ?? ROOT);
  const offset = await freeOffset([...services.map((s) => s.port), PLAYGROUND_PORT]);
  const child = spawnChild(
    process.execPath,
    ['--import', 'tsx', 'scripts/start.ts', ...(options.args ?? [])],
    {
      cwd: ROOT,
      env: {
        TOWN_PORT_OFFSET: String(offset),
        TOWN_DATA_DIR: dataDir,
        TOWN_ROOT: options.root,
        FORCE_COLOR: '0',
        ...options.env,
      },
    },
  );
  const ports = new Map(services.map((s) => [s.name, s.port + offset]));
  return {
    child,
    offset,
    url: (service) => `http://127.0.0.1:${ports.get(service)}`,
    playground: `http://127.0.0.1:${PLAYGROUND_PORT + offset}`,
  };
}
