import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@microtown/kit/testing';
import { planTown } from '@microtown/kit/town';
import { untilHealthy } from '../scripts/health.js';
import { type Server, spawnTracked, type Tracked } from './spawn.js';
import { BenchError } from './types.js';

const ROOT = join(import.meta.dirname, '..');

/** Polls `url` until it answers 2xx; fails with the process's own reason if one of them exits first. */
async function waitFor(url: string, label: string, processes: Tracked[], timeoutMs = 20_000): Promise<void> {
  const dead = () => processes.find((p) => p.process.exitCode !== null);
  if (await untilHealthy(url, Date.now() + timeoutMs, () => dead() !== undefined, 50)) return;
  const exited = dead();
  if (exited) throw new BenchError(`${label}: a process exited before answering: ${exited.reason()}`);
  throw new BenchError(`${label}: ${url} did not answer within ${timeoutMs / 1000} s`);
}

const stopAll = (processes: Tracked[]) => Promise.all(processes.map((p) => p.stop())).then(() => undefined);

/**
 * The town's services, each its own process on a free port with a data file in `dir`, wired to each other
 * directly (no playground in between). Returns the named service as the bench's server; `stop` stops them all.
 */
export async function startBenchTown(
  dir: string,
  target: string,
): Promise<Server & { urls: Map<string, string> }> {
  const { services } = await planTown(ROOT, { port: () => freePort(), dataDir: dir });
  const urls = new Map(services.map((s) => [s.name, s.url]));
  const processes = services.map(({ command: [command = process.execPath, ...args], cwd, env }) =>
    spawnTracked(command, args, { cwd, env }),
  );
  try {
    for (const s of services) await waitFor(`${urls.get(s.name)}/health`, `${s.name} service`, processes);
  } catch (error) {
    await stopAll(processes);
    throw error;
  }
  const url = urls.get(target);
  if (!url) throw new BenchError(`no ${target} service in services/`);
  return { name: target, url, urls, stop: () => stopAll(processes) };
}

/** The chapter's FastAPI services, from `dir` (its start.sh: ports 8001-8004), if Python has what they need. */
export async function startChapterFastAPI(dir: string, python: string): Promise<Server> {
  if (!existsSync(join(dir, 'start.sh'))) throw new BenchError(`no start.sh in ${dir}`);
  for (const port of [8001, 8002, 8003, 8004]) {
    const busy = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) }).then(
      () => true,
      () => false,
    );
    if (busy)
      throw new BenchError(
        `port ${port} is in use; the chapter's services need 8001-8004 (stop what runs there, or pass --fastapi-orders <url>)`,
      );
  }
  const processes = [spawnTracked('bash', ['start.sh'], { cwd: dir, env: { PYTHON: python } })];
  try {
    for (const port of [8001, 8002, 8003, 8004]) {
      await waitFor(`http://127.0.0.1:${port}/openapi.json`, "chapter's FastAPI services", processes);
    }
  } catch (error) {
    await stopAll(processes);
    throw error;
  }
  return { name: 'chapter FastAPI', url: 'http://127.0.0.1:8003', stop: () => stopAll(processes) };
}
