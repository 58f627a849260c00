import { createService, HTTPException, type Logger, PROBE_HEADER } from '@microtown/kit';
import type { Events } from './events.js';
import type { Graph } from './graph.js';
import type { Monitor } from './monitor.js';
import type { Recorder } from './recorder.js';
import type { Registry } from './registry.js';
import {
  CallFilter,
  CallsPublic,
  GraphPublic,
  RecordsPath,
  RecordsPublic,
  RecordsQuery,
  ServicesPublic,
  SwitchPath,
  SwitchState,
} from './schemas.js';
import type { Switches } from './switches.js';

export interface ApiDeps {
  registry: Registry;
  recorder: Recorder;
  switches: Switches;
  monitor: Monitor;
  events: Events;
  graph: () => Graph;
  logger?: Logger;
}

const tags = ['playground'];

/** The page's JSON API under /api, with /openapi.json and /docs like every service of the town. */
export function createApi({ registry, recorder, switches, monitor, events, graph, logger }: ApiDeps) {
  const api = createService({
    name: 'playground',
    description: 'What the playground saw: the call graph, the calls, the services and their switches.',
    logger,
  });

  api.get(
    '/api/graph',
    { summary: 'Expected and observed call graph', operationId: 'read_graph', tags, response: GraphPublic },
    () => graph(),
  );

  api.get(
    '/api/calls',
    {
      summary: 'Recorded calls, oldest first',
      operationId: 'list_calls',
      tags,
      query: CallFilter,
      response: CallsPublic,
    },
    ({ query }) => {
      const { limit, ...filter } = query;
      const matches = recorder.calls(filter);
      return { data: matches.slice(-limit), count: matches.length };
    },
  );

  api.delete(
    '/api/calls',
    { summary: 'Forget every recorded call', operationId: 'clear_calls', tags, status: 204 },
    () => {
      recorder.clear();
      events.cleared();
    },
  );

  api.get(
    '/api/services',
    {
      summary: 'Health, port, records and switch of each service',
      operationId: 'list_services',
      tags,
      response: ServicesPublic,
    },
    async () => {
      const data = await monitor.states();
      return { data, count: data.length };
    },
  );

  api.get(
    '/api/services/{service}/records/{list}',
    {
      summary: "The newest records of a service's list route, read straight from the service",
      description:
        'The page reads orders here, so that its own reads do not show up among the calls recorded.',
      operationId: 'list_records',
      tags,
      params: RecordsPath,
      query: RecordsQuery,
      response: RecordsPublic,
      errors: { 404: 'No such list in this town', 503: 'The service is unavailable' },
    },
    async ({ params, query }) => {
      const service = registry.get(params.service);
      if (!service?.lists.includes(params.list)) {
        throw new HTTPException(404, `No list /${params.list} on a service ${params.service} in this town`);
      }
      return readNewest(`${service.url}/${params.list}`, query.last, service.name);
    },
  );

  api.put(
    '/api/switches/{service}',
    {
      summary: 'Switch a service down, slow or back to normal',
      operationId: 'set_switch',
      tags,
      params: SwitchPath,
      body: SwitchState,
      response: SwitchState,
      errors: { 404: 'No such service in this town' },
    },
    async ({ params, body }) => {
      if (!switches.has(params.service)) {
        throw new HTTPException(404, `No service ${params.service} in this town`);
      }
      switches.set(params.service, body);
      await events.servicesChanged();
      return switches.get(params.service);
    },
  );

  return api;
}

async function readPage(url: string, service: string): Promise<{ data: unknown[]; count: number }> {
  try {
    // The page's own reads, not the learner's calls: marked as probes, they stay out of the services' logs.
    const response = await fetch(url, {
      signal: AbortSignal.timeout(2000),
      headers: { [PROBE_HEADER]: '1' },
    });
    if (!response.ok) throw new Error(`${response.status}`);
    return (await response.json()) as { data: unknown[]; count: number };
  } catch (error) {
    throw Object.assign(new HTTPException(503, `${service} unavailable`), { cause: error });
  }
}

/** List routes answer oldest first with limit/offset: the count first, then the last page. */
async function readNewest(url: string, last: number, service: string) {
  const { count } = await readPage(`${url}?limit=1`, service);
  return readPage(`${url}?limit=${last}&offset=${Math.max(0, count - last)}`, service);
}
