import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, freePort, spawnChild } from '@microtown/kit/testing';
import { readServices, type ServiceFolder, serviceUrlVariable } from '@microtown/kit/town';
import { untilHealthy } from '../../scripts/health.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface RunningService {
  name: string;
  url: string;
  port: number;
  dataFile: string;
  child: Child;
}

/** The town for one test file: every service as a real process on a free port, each with its own temp data file. */
export interface Town {
  dir: string;
  services: Map<string, RunningService>;
  url(name: string): string;
  /** Stops one service (the whole process group), SIGTERM by default, SIGKILL to simulate a crash. */
  stop(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped service again, same port and data file, and waits for /health. */
  start(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function waitForHealth(url: string, child: Child, timeoutMs = 15_000): Promise<void> {
  const exited = () => child.process.exitCode !== null;
  if (await untilHealthy(`${url}/health`, Date.now() + timeoutMs, exited, 50)) return;
  if (exited()) throw new Error(`${url} exited early:\n${child.output()}`);
  throw new Error(`${url} did not answer /health within ${timeoutMs} ms:\n${child.output()}`);
}

/** Starts the named services (all of the town by default). Extra env applies to every service. */
export async function startTown(options: { only?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Town> {
  const all = await readServices(ROOT);
  const chosen = options.only ? all.filter((s) => options.only?.includes(s.name)) : all;
  const dir = await mkdtemp(join(tmpdir(), 'microtown-town-'));
  const ports = new Map<string, number>();
  for (const s of all) ports.set(s.name, await freePort());
  const peers: NodeJS.ProcessEnv = {};
  for (const s of all) peers[serviceUrlVariable(s.name)] = `http://127.0.0.1:${ports.get(s.name)}`;

  const services = new Map<string, RunningService>();
  const launch = (s: ServiceFolder, dataFile: string) => {
    const port = ports.get(s.name) as number;
    const child = spawnChild(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: s.dir,
      env: {
        ...peers,
        ...options.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_FILE: dataFile,
        LOG_LEVEL: 'warn',
      },
    });
    const running = { name: s.name, url: `http://127.0.0.1:${port}`, port, dataFile, child };
    services.set(s.name, running);
    return running;
  };

  const town: Town = {
    dir,
    services,
    url: (name) => {
      const service = services.get(name);
      if (!service) throw new Error(`no service ${name} in this town`);
      return service.url;
    },
    async stop(name, signal = 'SIGTERM') {
      await services.get(name)?.child.stop(signal);
    },
    async start(name) {
      const folder = chosen.find((s) => s.name === name);
      const previous = services.get(name);
      if (!folder || !previous) throw new Error(`no service ${name} in this town`);
      const running = launch(folder, previous.dataFile);
      await waitForHealth(running.url, running.child);
    },
    async close() {
      await Promise.all([...services.values()].map((s) => s.child.stop('SIGKILL')));
      await rm(dir, { recursive: true, force: true });
    },
  };

  try {
    const started = chosen.map((s) => launch(s, join(dir, `${s.name}.json`)));
    await Promise.all(started.map((s) => waitForHealth(s.url, s.child)));
  } catch (error) {
    await town.close();
    throw error;
  }
  return town;
}
