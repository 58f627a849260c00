import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GradeError } from './checks.ts';
import type { Supervisor, Target } from './supervisor.ts';

/**
 * A small HTTP API on 127.0.0.1 through which grading specs (in Playwright's worker processes) stop and start the
 * services the grader runs: `POST /services/<name>/stop?signal=SIGKILL`, `POST /services/<name>/start`.
 */
export async function startControl(supervisor: Supervisor): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const match = /^\/services\/([a-z0-9-]+)\/(stop|start)(?:\?signal=(SIGTERM|SIGKILL))?$/.exec(
      req.url ?? '',
    );
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !match) return answer(404, { detail: 'Not Found' });
    const [, name = '', action, signal] = match;
    try {
      if (action === 'stop') await supervisor.stop(name, (signal as NodeJS.Signals | undefined) ?? 'SIGTERM');
      else await supervisor.start(name);
      answer(200, { name, action });
    } catch (error) {
      answer(409, { detail: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a spec uses: stop a service (to see what the others do), start it again (to see what it kept). */
export interface Control {
  stop(name: string, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  start(name: string): Promise<void>;
  restart(name: string): Promise<void>;
}

export function controlClient(url: string | undefined): Control {
  const call = async (name: string, action: string) => {
    if (!url)
      throw new GradeError(`the grader did not start ${name}, so it cannot ${action.split('?')[0]} it`);
    const response = await fetch(`${url}/services/${name}/${action}`, { method: 'POST' });
    if (!response.ok) throw new GradeError(((await response.json()) as { detail: string }).detail);
  };
  return {
    stop: (name, signal = 'SIGTERM') => call(name, `stop?signal=${signal}`),
    start: (name) => call(name, 'start'),
    async restart(name) {
      await call(name, 'stop?signal=SIGTERM');
      await call(name, 'start');
    },
  };
}

/** The services of this run, handed to Playwright's workers through the environment. */
export type Targets = Record<string, Pick<Target, 'url' | 'source' | 'dataFile' | 'managed'>>;
