import { type Service, z } from '@microtown/kit';
import { LOG_LEVELS } from '@microtown/kit/town';
import type { Workbench } from './workbench.js';

export const LogEntryPublic = z
  .object({
    service: z.string(),
    time: z.string(),
    level: z.enum(LOG_LEVELS),
    text: z.string().describe('the message, or the whole line when the service did not print JSON'),
    method: z.string().optional(),
    path: z.string().optional(),
    status: z.int().optional(),
    duration_ms: z.number().optional(),
    trace_id: z.string().optional(),
    structured: z.literal(true).optional().describe('the line was the service’s JSON log'),
  })
  .meta({ id: 'LogEntry' });

export const LogsQuery = z.object({
  service: z.string().max(64).optional(),
  level: z.enum(LOG_LEVELS).default('debug').describe('this level and louder'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const ServiceChangePublic = z
  .object({
    type: z.literal('state'),
    service: z.string(),
    state: z.enum(['starting', 'up', 'crashed', 'stopped']),
    file: z.string().optional().describe('the saved file that restarted it'),
    reason: z.string().optional().describe('why it is down: the error line of its output'),
    at: z.string(),
  })
  .meta({ id: 'ServiceChange' });

export const TownPublic = z
  .object({
    supervised: z.boolean().describe('npm start runs the services: reload on save, logs and reset work'),
    states: z.array(ServiceChangePublic),
  })
  .meta({ id: 'Town' });

const tags = ['workbench'];

/** `GET /api/logs` and `GET /api/town`: what `npm start` said of its services, for the page's logs and banners. */
export function addWorkbenchRoutes(api: Service, workbench: Workbench) {
  api.get(
    '/api/logs',
    {
      summary: "The services' recent log lines, oldest first",
      description: 'Each line as `npm start` read it from the service; the newest `limit` that match.',
      operationId: 'list_logs',
      tags,
      query: LogsQuery,
      response: z.object({ data: z.array(LogEntryPublic), count: z.int() }),
    },
    ({ query }) => {
      const data = workbench.logs(query);
      return { data, count: data.length };
    },
  );

  api.get(
    '/api/town',
    {
      summary: 'Whether npm start runs the services, and what each is doing',
      operationId: 'read_town',
      tags,
      response: TownPublic,
    },
    () => ({ supervised: workbench.supervised, states: workbench.states() }),
  );
}
