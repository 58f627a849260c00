import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@microtown/kit';
import { buildPage, readTown, startPlayground } from '@microtown/playground';
import { REPO } from './exercise.js';
import type { Target } from './supervisor.js';

/**
 * The playground in front of the services under grading, so that every call between them is recorded: each service
 * gets `<NAME>_SERVICE_URL=<playground>/svc/<name>`. The expected edges come from the town's manifests.
 */
export async function startRecordingProxy(targets: Target[], withPage: boolean) {
  const town = await readTown(REPO);
  const services = targets.map((t) => {
    const manifest = town.find((s) => s.name === t.name);
    return { name: t.name, url: t.url, calls: manifest?.calls ?? [], lists: manifest?.lists ?? [] };
  });
  const page = withPage ? await oneAtATime(join(REPO, '.tmp', 'page-build.lock'), () => buildPage()) : false;
  const logger = createLogger('playground', 'warn');
  const playground = await startPlayground({ services, port: 0, page, probeIntervalMs: 500, logger });
  return {
    url: playground.url,
    urlOf: (t: Target) => `${playground.url}/svc/${t.name}`,
    close: () => playground.close(),
  };
}

/**
 * Runs `fn` while holding a lock folder, so that gradings started together (a class, a test suite) do not build the
 * playground's page into the same folder at once; after two minutes of waiting a lock is taken as abandoned.
 */
async function oneAtATime<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(join(lock, '..'), { recursive: true });
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
