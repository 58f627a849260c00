import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Supervisor } from './supervisor.js';

/**
 * A small HTTP API on 127.0.0.1 through which grading specs (in Playwright's worker processes) stop and start the
 * services the grader runs: `POST /services/<name>/stop?signal=SIGKILL`, `POST /services/<name>/start`, and read
 * what one printed last when it stopped answering: `GET /services/<name>/crash`.
 */
export async function startControl(supervisor: Supervisor): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const match = /^\/services\/([a-z0-9-]+)\/(stop|start)(?:\?signal=(SIGTERM|SIGKILL))?$/.exec(
      req.url ?? '',
    );
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const crash = /^\/services\/([a-z0-9-]+)\/crash$/.exec(req.url ?? '');
    if (req.method === 'GET' && crash) return answer(200, { said: supervisor.crash(crash[1] ?? '') ?? null });
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
