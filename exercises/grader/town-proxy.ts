import { createLogger } from '@microtown/kit';
import { buildPage, readTown, startPlayground } from '@microtown/playground';
import { REPO } from './exercise.ts';
import type { Target } from './supervisor.ts';

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
  const page = withPage ? await buildPage() : false;
  const logger = createLogger('playground', 'warn');
  const playground = await startPlayground({ services, port: 0, page, probeIntervalMs: 500, logger });
  return {
    url: playground.url,
    urlOf: (t: Target) => `${playground.url}/svc/${t.name}`,
    close: () => playground.close(),
  };
}
