import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PLAYGROUND_PORT, readServices, serviceUrlVariable } from '@microtown/kit/town';
import { ComposeError } from './errors.js';

/** A service this one calls: the setting that holds its address, and where it answers inside the town. */
export interface Peer {
  name: string;
  port: number;
  /** `USER_SERVICE_URL` */
  env: string;
}

export interface TownService extends Peer {
  /** `services/user-service`, relative to the project root, with forward slashes. */
  folder: string;
  peers: Peer[];
  /** The peers it waits for at start-up: every peer, except a call that would close a cycle. */
  dependsOn: string[];
}

export interface Town {
  services: TownService[];
  /** Present once the project has a `playground/` workspace. */
  playground?: { port: number };
  /** Calls left out of `depends_on` because start-up cannot wait in a circle. */
  cycles: string[];
}

/** Kubernetes names are DNS labels of at most 63 characters, and the longest one is `<name>-data`. */
const MAX_NAME = 63 - '-data'.length;

/** The town as the manifests describe it, checked for what containers need: known peers, usable names. */
export async function readTown(root: string): Promise<Town> {
  // A manifest that is not JSON, or lacks a field, is the user's to fix: one line naming the file.
  const manifests = await readServices(root).catch((error: Error) => {
    throw new ComposeError(error.message);
  });
  if (manifests.length === 0) {
    throw new ComposeError(
      'no services in services/ yet; create one with npm run generate service -- <name> <port>',
    );
  }
  const byName = new Map(manifests.map((m) => [m.name, m]));
  const playground = existsSync(join(root, 'playground', 'package.json'))
    ? { port: PLAYGROUND_PORT }
    : undefined;
  for (const m of manifests) {
    const folder = relative(root, m.dir).split(/[\\/]/).join('/');
    const where = `${folder}/service.json`;
    if (m.name.length > MAX_NAME) {
      throw new ComposeError(
        `${where}: the name "${m.name}" is too long for Kubernetes (at most ${MAX_NAME})`,
      );
    }
    if (playground && (m.name === 'playground' || m.port === playground.port)) {
      throw new ComposeError(
        `${where}: the name "playground" and port ${playground.port} belong to the playground`,
      );
    }
    const unknown = m.calls.find((call) => !byName.has(call));
    if (unknown !== undefined) {
      const names = manifests.map((s) => s.name).join(', ');
      throw new ComposeError(`${where} calls "${unknown}", which is not a service of the town (${names})`);
    }
  }
  const peer = (name: string): Peer => {
    const port = byName.get(name)?.port ?? 0;
    return { name, port, env: serviceUrlVariable(name) };
  };
  const { kept, dropped } = startOrder(manifests.map((m) => ({ from: m.name, to: m.calls })));
  const services = manifests.map((m) => ({
    ...peer(m.name),
    folder: `services/${m.name}-service`,
    peers: m.calls.map(peer),
    dependsOn: kept.get(m.name) ?? [],
  }));
  return { services, playground, cycles: dropped };
}

/**
 * `depends_on` must not go round in a circle (docker-compose refuses it), yet two services may call each other at
 * request time. Calls are kept in manifest order, and a call whose callee already waits, directly or not, for the
 * caller is left out of the start-up order (its URL setting stays).
 */
export function startOrder(edges: { from: string; to: string[] }[]): {
  kept: Map<string, string[]>;
  dropped: string[];
} {
  const kept = new Map<string, string[]>(edges.map((e) => [e.from, []]));
  const dropped: string[] = [];
  const reaches = (from: string, target: string, seen = new Set<string>()): boolean => {
    if (from === target) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return (kept.get(from) ?? []).some((next) => reaches(next, target, seen));
  };
  for (const { from, to } of edges) {
    for (const callee of to) {
      if (reaches(callee, from)) dropped.push(`${from} -> ${callee}`);
      else kept.get(from)?.push(callee);
    }
  }
  return { kept, dropped };
}
