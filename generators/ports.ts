import { createServer } from 'node:net';
import { BLOCKED_PORTS, HOST, PLAYGROUND_PORT } from '@microtown/kit/town';
import { GeneratorError } from './errors.js';
import { listManifests } from './manifest.js';

/** Where suggestions start: the town's own services sit just above the playground (4001-4004). */
const FIRST_SERVICE_PORT = PLAYGROUND_PORT + 1;

/** Whether a program on this machine already listens on the port (on the town's host). */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    server.listen(port, HOST, () => server.close(() => resolve(false)));
  });
}

/** The first port from 4001 up that no service of the town has, browsers accept and nothing listens on. */
export async function suggestPort(root: string): Promise<number> {
  const taken = new Set((await listManifests(root)).map((m) => m.port));
  for (let port = FIRST_SERVICE_PORT; port <= 65535; port++) {
    if (taken.has(port) || BLOCKED_PORTS.has(port)) continue;
    if (!(await portInUse(port))) return port;
  }
  throw new GeneratorError('no free port from 4001 up; stop something and try again');
}

/** A port no other service of the town uses (the service itself may keep its own when regenerated). */
export async function checkFreePort(root: string, port: number, self?: string): Promise<number> {
  const owner = (await listManifests(root)).find((m) => m.port === port && m.name !== self);
  if (owner) {
    throw new GeneratorError(
      `port ${port} is taken by service "${owner.name}"; pick another one, e.g. ${await suggestPort(root)}`,
    );
  }
  return port;
}

/** For a new service at the menu: also refuse a port another program listens on, which the service could not take. */
export async function checkUnusedPort(root: string, port: number): Promise<number> {
  await checkFreePort(root, port);
  if (await portInUse(port)) {
    throw new GeneratorError(
      `port ${port} is in use on this machine (another program listens on it); pick another one, e.g. ${await suggestPort(root)}`,
    );
  }
  return port;
}
