import { SERVICE_NAME, UserMistake } from '@microtown/kit/town';

/** A service the playground may reach, and what it knows of it from its manifest. */
export interface ServiceTarget {
  name: string;
  /** Where the service really listens, e.g. `http://127.0.0.1:4001` (a path prefix is kept). */
  url: string;
  /** The services it is expected to call (the manifest's `calls`). */
  calls?: string[];
  /** Its resources' list routes, e.g. `['users']` for `GET /users?limit=1` -> `count`. */
  lists?: string[];
  /** Its JSON data file, absolute, when the playground may read it (the Data card). */
  dataFile?: string;
}

export interface Service extends Required<Omit<ServiceTarget, 'dataFile'>> {
  port: number;
  dataFile?: string;
}

export type Registry = ReadonlyMap<string, Service>;

/** Checks the targets once, at start: only these names are ever proxied (and those that join the town later). */
export function createRegistry(targets: ServiceTarget[]): Map<string, Service> {
  const registry = new Map<string, Service>();
  for (const target of targets) {
    if (registry.has(target.name)) throw new UserMistake(`service ${target.name} is listed twice`);
    registry.set(target.name, checkTarget(target));
  }
  return registry;
}

/** A target as the proxy uses it: a kebab-case name and an http(s) URL without query, hash or credentials. */
export function checkTarget(target: ServiceTarget): Service {
  if (!SERVICE_NAME.test(target.name)) {
    throw new UserMistake(`service name ${JSON.stringify(target.name)} is not lower kebab-case, e.g. user`);
  }
  const url = URL.canParse(target.url) ? new URL(target.url) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username) {
    throw new UserMistake(
      `invalid URL for ${target.name}: ${JSON.stringify(target.url)}; expected e.g. http://127.0.0.1:4001`,
    );
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return {
    name: target.name,
    url: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    port,
    calls: target.calls ?? [],
    lists: target.lists ?? [],
    dataFile: target.dataFile,
  };
}
