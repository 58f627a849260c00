import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { UserMistake } from './mistake.js';
import { SERVICE_NAME, serviceFolder } from './names.js';
import { BLOCKED_PORTS, blockedPort } from './ports.js';

/** A `service.json` that does not parse or has the wrong shape; the message names the file and the field. */
export class ManifestError extends UserMistake {
  override name = 'ManifestError';
}

/** `services/<name>-service/service.json`: how the town finds a service, its port and whom it calls. */
export const Manifest = z.object({
  name: z.string().regex(SERVICE_NAME, 'use lower kebab-case, e.g. user'),
  port: z
    .int()
    .min(1024)
    .max(65535)
    .refine((port) => !BLOCKED_PORTS.has(port), { error: (issue) => blockedPort(Number(issue.input)) }),
  calls: z.array(z.string().regex(SERVICE_NAME)).default([]),
  /** Each resource the generator added, with its fields and their types: `{ "item": { "stock": "integer" } }`. */
  resources: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});
export type Manifest = z.infer<typeof Manifest>;

export interface ServiceFolder extends Manifest {
  /** The service's folder, absolute. */
  dir: string;
}

export const servicePath = (root: string, name: string) => join(root, 'services', serviceFolder(name));

/** The manifest of `services/<name>-service/`, or undefined when there is no such service. */
export async function readManifest(root: string, name: string): Promise<ServiceFolder | undefined> {
  const dir = servicePath(root, name);
  const file = join(dir, 'service.json');
  if (!existsSync(file)) return undefined;
  const where = relative(root, file);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ManifestError(`${where} is not valid JSON (${(error as Error).message}); fix it first`);
  }
  const result = Manifest.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ManifestError(
      `${where}: ${issue?.path.join('.') || 'the manifest'} ${issue?.message ?? 'is invalid'}; fix it first`,
    );
  }
  if (result.data.name !== name) {
    throw new ManifestError(
      `${where} says "name": "${result.data.name}", but its folder is ${serviceFolder(name)}; fix it first`,
    );
  }
  return { ...result.data, dir };
}

/** Every service of the town, found by convention: a `service.json` in a `services/<name>-service/` folder. By port. */
export async function readServices(root: string): Promise<ServiceFolder[]> {
  const entries = await readdir(join(root, 'services'), { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory() && e.name.endsWith('-service'))
    .map((e) => e.name.slice(0, -'-service'.length))
    .filter((name) => SERVICE_NAME.test(name));
  const found = await Promise.all(names.map((name) => readManifest(root, name)));
  return found.filter((s) => s !== undefined).sort((a, b) => a.port - b.port);
}
