import { dataFileOf, HOST, plural, readServices, serviceUrlVariable } from '@microtown/kit/town';
import type { ServiceTarget } from './registry.js';

export { serviceUrlVariable };

/**
 * The town's services from their manifests (services/<name>-service/service.json): expected calls, list routes, and
 * where each listens: `<NAME>_SERVICE_URL` from `env` if set, else 127.0.0.1 on the manifest's port. Its data file
 * is in `TOWN_DATA_DIR` when `env` sets it, as `npm start` runs the services, else in the service's own `data/`.
 */
export async function readTown(root: string, env: NodeJS.ProcessEnv = {}): Promise<ServiceTarget[]> {
  const services = await readServices(root);
  return services.map((s) => ({
    name: s.name,
    url: env[serviceUrlVariable(s.name)] ?? `http://${HOST}:${s.port}`,
    calls: s.calls,
    lists: Object.keys(s.resources).map(plural),
    dataFile: dataFileOf(s, env.TOWN_DATA_DIR),
  }));
}
