import { isAbsolute, join, relative } from 'node:path';
import { type Service as Api, HTTPException, readStoreState, StoreError } from '@microtown/kit';
import type { Monitor } from './monitor.js';
import type { Registry } from './registry.js';
import { DataPath, ResetPublic, ServiceDataPublic } from './schemas.js';

/**
 * Puts services back to their seed data: stop each, remove its data file and journal, start it again. Only the one
 * who started the services can do that, so `npm start` passes it; a playground run alone has none.
 */
export type ResetHook = (services: string[]) => Promise<void>;

export interface DataDeps {
  registry: Registry;
  monitor: Monitor;
  reset?: ResetHook;
}

const ROOT = join(import.meta.dirname, '..', '..');
const tags = ['data'];

export const NO_RESET =
  'reset needs the town started by npm start, which can stop and start the services: run npm run reset instead';

/** Inside the repository a path reads better from its root; a temp folder's stays absolute. */
const shown = (file: string) => {
  const inside = relative(ROOT, file);
  return inside.startsWith('..') || isAbsolute(inside) ? file : inside;
};

/** The top-level lists of the data, one per resource; the rest (`lastIds`) is bookkeeping, shown as JSON only. */
const collectionsOf = (data: Record<string, unknown>): Record<string, unknown[]> =>
  Object.fromEntries(
    Object.entries(data).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1])),
  );

/**
 * The data as the service holds it now: its data file with the journal's newer lines replayed (the store rewrites
 * the file once idle), read afresh on every request, never cached, so it shows what a reset did. A file the store
 * is rewriting at this moment is read again.
 */
async function readServiceData(service: string, file: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      // One read of the data file: the text shown is the one the collections were read from.
      const { data, text, pending } = await readStoreState(file);
      return {
        service,
        file: shown(file),
        exists: text !== undefined,
        collections: text === undefined ? {} : collectionsOf(data),
        pending: text === undefined ? 0 : pending,
        text: text ?? '',
      };
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
      if (code) throw new HTTPException(503, `cannot read ${shown(file)}: ${code}`);
      if (attempt < 3) continue;
      throw new HTTPException(409, error.message.replaceAll(file, shown(file)));
    }
  }
}

/** `GET /api/services/{service}/data`, and the resets of one service or of the whole town, on the page's API. */
export function addDataRoutes(api: Api, { registry, monitor, reset }: DataDeps): void {
  const known = (name: string) => {
    const service = registry.get(name);
    if (!service) throw new HTTPException(404, `No service ${name} in this town`);
    return service;
  };

  const resetNow = async (names: string[]) => {
    if (!reset) throw new HTTPException(409, NO_RESET);
    try {
      await reset(names);
    } catch (error) {
      throw new HTTPException(500, `could not reset ${names.join(', ')}: ${(error as Error).message}`);
    }
    // Their record counts changed: a probe now tells the page (and its Data card) at once, not a second later.
    await monitor.states(0);
    return { reset: names };
  };

  api.get(
    '/api/services/{service}/data',
    {
      summary: "A service's data file, collection by collection and as its text",
      description:
        'Read from the files, not from the service: the collections are the data file with the changes its ' +
        '<file>.journal holds replayed (the store rewrites the file half a second after the last write), text is ' +
        'the data file as it is on disk, pending how many journal lines it does not hold yet. Before the service ' +
        'first ran there is no file: no collections, and exists is false.',
      operationId: 'read_service_data',
      tags,
      params: DataPath,
      response: ServiceDataPublic,
      errors: {
        404: 'No such service in this town',
        409: 'The data file is not JSON, or its folder is unknown',
      },
    },
    async ({ params }) => {
      const { name, dataFile } = known(params.service);
      if (!dataFile) throw new HTTPException(409, `The playground was not told where ${name} keeps its data`);
      return readServiceData(name, dataFile);
    },
  );

  api.post(
    '/api/services/{service}/reset',
    {
      summary: 'Put one service back to its seed data',
      description:
        'Stops the service, removes its data file and journal, starts it again: it writes its seed.',
      operationId: 'reset_service',
      tags,
      params: DataPath,
      response: ResetPublic,
      errors: { 404: 'No such service in this town', 409: 'The playground runs without npm start' },
    },
    ({ params }) => resetNow([known(params.service).name]),
  );

  api.post(
    '/api/reset',
    {
      summary: 'Put every service of the town back to its seed data',
      operationId: 'reset_town',
      tags,
      response: ResetPublic,
      errors: { 409: 'The playground runs without npm start' },
    },
    () => resetNow([...registry.keys()]),
  );
}
