import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { plural } from '../../generators/names.js';
import { readServices } from '../../scripts/services.js';
import type { ServiceTarget } from './registry.js';

/** `USER_SERVICE_URL` for `user`, `ORDER_HISTORY_SERVICE_URL` for `order-history`. */
export const serviceUrlVariable = (name: string) => `${name.toUpperCase().replaceAll('-', '_')}_SERVICE_URL`;

async function listRoutes(dir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(dir, 'service.json'), 'utf8')) as { resources?: object };
  return Object.keys(manifest.resources ?? {}).map(plural);
}

/**
 * The town's services from their manifests (services/<name>-service/service.json): expected calls, list routes, and
 * where each listens: `<NAME>_SERVICE_URL` from `env` if set, else 127.0.0.1 on the manifest's port.
 */
export async function readTown(root: string, env: NodeJS.ProcessEnv = {}): Promise<ServiceTarget[]> {
  const services = await readServices(root);
  return Promise.all(
    services.map(async (s) => ({
      name: s.name,
      url: env[serviceUrlVariable(s.name)] ?? `http://127.0.0.1:${s.port}`,
      calls: s.calls,
      lists: await listRoutes(s.dir),
    })),
  );
}
