import {
  ManifestError,
  readManifest as readServiceManifest,
  readServices,
  serviceFolder,
  servicePath,
  type Manifest as TownManifest,
} from '@microtown/kit/town';
import { GeneratorError } from './errors.js';
import type { FieldType } from './fields.js';

export { serviceFolder, servicePath };

/** A service's `service.json` as the town reads it (`@microtown/kit/town`), with its resources' field types. */
export interface Manifest extends Omit<TownManifest, 'resources'> {
  /** Fields of each resource the generator added, so that callers get typed clients without importing code. */
  resources: Record<string, Record<string, FieldType>>;
}

/** A manifest the town's reader refuses is the user's to fix: one line naming the file. */
const asGeneratorError = (error: unknown): never => {
  throw error instanceof ManifestError ? new GeneratorError(error.message) : error;
};

export async function readManifest(root: string, name: string): Promise<Manifest | undefined> {
  const found = await readServiceManifest(root, name).catch(asGeneratorError);
  if (!found) return undefined;
  const { dir: _, ...manifest } = found;
  return manifest as Manifest;
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

/** Every service of the town, by name. */
export async function listManifests(root: string): Promise<Manifest[]> {
  const services = await readServices(root).catch(asGeneratorError);
  return services
    .map(({ dir: _, ...manifest }) => manifest as Manifest)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** JSON as biome writes it: two-space indent, short arrays on one line. */
export function formatJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, items: string) => {
    return `[${items.split(/,\s+/).join(', ')}]`;
  });
  return `${text}\n`;
}
