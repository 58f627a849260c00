import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GeneratorError } from './errors.ts';
import type { FieldType } from './fields.ts';

/** `services/<name>-service/service.json`: how the town finds a service, its port and whom it calls. */
export interface Manifest {
  name: string;
  port: number;
  calls: string[];
  /** Fields of each resource the generator added, so that callers get typed clients without importing code. */
  resources?: Record<string, Record<string, FieldType>>;
}

export const serviceFolder = (name: string) => `${name}-service`;
export const servicePath = (root: string, name: string) => join(root, 'services', serviceFolder(name));

export async function readManifest(root: string, name: string): Promise<Manifest | undefined> {
  const file = join(servicePath(root, name), 'service.json');
  if (!existsSync(file)) return undefined;
  const where = `services/${serviceFolder(name)}/service.json`;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new GeneratorError(`${where} is not valid JSON (${(error as Error).message}); fix it first`);
  }
  if (
    typeof manifest?.name !== 'string' ||
    typeof manifest.port !== 'number' ||
    !Array.isArray(manifest.calls)
  ) {
    throw new GeneratorError(`${where} needs "name", "port" and "calls"; fix it first`);
  }
  return manifest;
}

/** The manifest of an existing service, or a refusal that lists the services there are. */
export async function requireManifest(root: string, name: string): Promise<Manifest> {
  const manifest = await readManifest(root, name);
  if (manifest) return manifest;
  const names = (await listManifests(root)).map((m) => m.name);
  const known = names.length
    ? `services: ${names.join(', ')}`
    : 'none yet: npm run generate service -- <name> <port>';
  throw new GeneratorError(
    `unknown service "${name}" (no services/${serviceFolder(name)}/service.json; ${known})`,
  );
}

/** Every service of the town, found by convention: a `service.json` in a `services/*-service` folder. */
export async function listManifests(root: string): Promise<Manifest[]> {
  const dir = join(root, 'services');
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && e.name.endsWith('-service'))
    .map((e) => e.name.slice(0, -8));
  const manifests = await Promise.all(names.sort().map((name) => readManifest(root, name)));
  return manifests.filter((m) => m !== undefined);
}

/** JSON as biome writes it: two-space indent, short arrays on one line. */
export function formatJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, items: string) => {
    return `[${items.split(/,\s+/).join(', ')}]`;
  });
  return `${text}\n`;
}
