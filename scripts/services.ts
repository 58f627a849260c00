import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** `services/<name>-service/service.json`: how the town finds a service, its port and whom it calls. */
export const Manifest = z.object({
  name: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/),
  port: z.int().min(1024).max(65535),
  calls: z.array(z.string()).default([]),
  /** Each resource the generator added, with its fields and their types: `{ "item": { "stock": "integer" } }`. */
  resources: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});
export type Manifest = z.infer<typeof Manifest>;

/** Where a service's callers find it: `USER_SERVICE_URL` for `user`, `ORDER_HISTORY_SERVICE_URL` for `order-history`. */
export const serviceUrlVariable = (name: string) => `${name.toUpperCase().replaceAll('-', '_')}_SERVICE_URL`;

export interface ServiceFolder extends Manifest {
  dir: string;
}

/** Every service of the town, found by convention: each folder in services/ with a service.json. */
export async function readServices(root: string): Promise<ServiceFolder[]> {
  const servicesDir = join(root, 'services');
  const entries = await readdir(servicesDir, { withFileTypes: true }).catch(() => []);
  const found: ServiceFolder[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(servicesDir, entry.name);
    const file = join(dir, 'service.json');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file} is not valid JSON (${(error as Error).message})`);
    }
    const result = Manifest.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`${file}: ${issue?.path.join('.') || 'manifest'} ${issue?.message ?? 'is invalid'}`);
    }
    found.push({ ...result.data, dir });
  }
  return found.sort((a, b) => a.port - b.port);
}
