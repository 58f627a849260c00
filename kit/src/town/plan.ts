import { join } from 'node:path';
import { readServices, type ServiceFolder } from './manifest.js';
import { serviceUrlVariable } from './names.js';
import { HOST, PLAYGROUND_PORT } from './ports.js';

/** How a process of the town starts: a command without a shell, in a folder, with its environment. */
export interface Launch {
  name: string;
  command: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
}

export interface PlannedService extends Launch {
  manifest: ServiceFolder;
}

export interface TownPlan {
  services: PlannedService[];
  /** Present when the services reach each other through the playground. */
  playground?: Launch;
}

export interface PlanOptions {
  /** The services to start (default: all of them). Every service is still a peer the others may call. */
  only?: string[];
  /** Each service's port: its manifest's plus `offset` by default, or one of the caller's (free ports, for tests). */
  port?: (service: ServiceFolder) => number | Promise<number>;
  /** Added to every manifest port and to the playground's, for a second town beside the first. */
  offset?: number;
  /** Every data file in this folder (`<name>.json`); by default each service keeps its own `data/`. */
  dataDir?: string;
  /** Put the playground between the services, so that every call between them shows in its diagram. */
  playground?: boolean;
  /** More environment for every service. */
  env?: Record<string, string>;
}

/**
 * Where a service keeps its data: `<dataDir>/<name>.json` when the town is given a folder for them, else its own
 * `data/<name>.json` (the default of every service's `DATA_FILE` setting).
 */
export const dataFileOf = (service: ServiceFolder, dataDir?: string): string =>
  dataDir ? join(dataDir, `${service.name}.json`) : join(service.dir, 'data', `${service.name}.json`);

/** A service of the town as every starter runs it: `node --import tsx src/server.ts` in its folder. */
export const serviceCommand = (service: ServiceFolder) => ({
  command: [process.execPath, '--import', 'tsx', 'src/server.ts'],
  cwd: service.dir,
});

/**
 * The one way a town is started, by `npm start`, the town's tests, the bench and the grader: which processes, on
 * which ports, with which `<NAME>_SERVICE_URL`, `PORT`, `HOST` and `DATA_FILE`. Starting them is the caller's.
 */
export async function planTown(root: string, options: PlanOptions = {}): Promise<TownPlan> {
  const all = await readServices(root);
  const offset = options.offset ?? 0;
  const ports = new Map<string, number>();
  for (const s of all) ports.set(s.name, options.port ? await options.port(s) : s.port + offset);
  const url = (port: number) => `http://${HOST}:${port}`;
  const direct = Object.fromEntries(
    all.map((s) => [serviceUrlVariable(s.name), url(ports.get(s.name) ?? 0)]),
  );
  const playgroundPort = PLAYGROUND_PORT + offset;
  const peers = options.playground
    ? Object.fromEntries(all.map((s) => [serviceUrlVariable(s.name), `${url(playgroundPort)}/svc/${s.name}`]))
    : direct;
  const chosen = options.only ? all.filter((s) => options.only?.includes(s.name)) : all;
  const services = chosen.map((manifest): PlannedService => {
    const port = ports.get(manifest.name) ?? 0;
    const data: Record<string, string> = options.dataDir
      ? { DATA_FILE: dataFileOf(manifest, options.dataDir) }
      : {};
    return {
      name: manifest.name,
      ...serviceCommand(manifest),
      env: { ...peers, ...options.env, PORT: String(port), HOST, ...data },
      port,
      url: url(port),
      manifest,
    };
  });
  const playground: Launch | undefined = options.playground
    ? {
        name: 'playground',
        command: [process.execPath, '--import', 'tsx', 'server/server.ts'],
        cwd: join(root, 'playground'),
        env: { ...direct, PORT: String(playgroundPort), HOST },
        port: playgroundPort,
        url: url(playgroundPort),
      }
    : undefined;
  return { services, playground };
}
