import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, freePort, spawnChild } from '@microtown/kit/testing';
import { type PlannedService, planTown } from '@microtown/kit/town';
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
  const dir = await mkdtemp(join(tmpdir(), 'microtown-town-'));
  const extra = Object.fromEntries(
    Object.entries(options.env ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const plan = await planTown(ROOT, {
    only: options.only,
    port: () => freePort(),
    dataDir: dir,
    env: { LOG_LEVEL: 'warn', ...extra },
  });

  const services = new Map<string, RunningService>();
  const launch = (s: PlannedService, dataFile: string) => {
    const [command = process.execPath, ...args] = s.command;
    const child = spawnChild(command, args, { cwd: s.cwd, env: { ...s.env, DATA_FILE: dataFile } });
    const running = { name: s.name, url: s.url, port: s.port, dataFile, child };
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
      const folder = plan.services.find((s) => s.name === name);
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
    const started = plan.services.map((s) => launch(s, s.env.DATA_FILE as string));
    await Promise.all(started.map((s) => waitForHealth(s.url, s.child)));
  } catch (error) {
    await town.close();
    throw error;
  }
  return town;
}
