import { pageOf, z } from '@microtown/kit';

export const SwitchState = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('normal') }),
    z.object({ mode: z.literal('slow'), delay_ms: z.int().min(1).max(30_000).default(1000) }),
    z.object({ mode: z.literal('down') }),
  ])
  .meta({ id: 'Switch', description: 'down: the proxy answers 503; slow: it waits delay_ms first; normal.' });

export const SwitchPath = z.object({ service: z.string().max(64) });

export const Edge = z.object({ from: z.string(), to: z.string() }).meta({ id: 'Edge' });

export const ObservedEdge = Edge.extend({
  count: z.int(),
  errors: z.int().describe('calls answered 5xx or not answered'),
  p50_ms: z.number(),
  recent: z
    .object({ count: z.int(), errors: z.int() })
    .describe("the edge's last 10 calls only: an edge that failed in an outage turns green after it"),
}).meta({ id: 'ObservedEdge' });

export const GraphPublic = z
  .object({ expected: z.array(Edge), observed: z.array(ObservedEdge) })
  .meta({ id: 'Graph' });

export const CallPublic = z
  .object({
    id: z.int(),
    time: z.string(),
    started_ms: z.number(),
    caller: z.string().nullable().describe('from x-caller; null for a call from outside the town'),
    callee: z.string(),
    method: z.string(),
    path: z.string(),
    status: z.int().describe('0 when the client went away before an answer'),
    duration_ms: z.number(),
    trace_id: z.string().nullable(),
    idempotency_key: z
      .string()
      .optional()
      .describe('the Idempotency-Key the caller sent, when it sent one: what makes a retried write safe'),
    held_by: z
      .string()
      .optional()
      .describe("how the playground held the call (a fault's delay or hang, the slow switch), when it did"),
  })
  .meta({ id: 'Call' });

export const CallsPublic = pageOf(CallPublic, 'Calls');

// The recorded bodies (Call's request_body, response_body) are not part of CallPublic: the calls list goes to every
// open page, live, and 18 KB per call of other people's data would weigh on it; the explanation shows what matters.

export const CallIdPath = z.object({ id: z.coerce.number().int().min(1) });

export const ProblemKind = z
  .enum([
    'wrong_url',
    'wrong_payload',
    'connection_refused',
    'timeout',
    'caller_gave_up',
    'server_error',
    'unhandled_4xx',
    'payload_warning',
    'ok',
  ])
  .meta({
    id: 'ProblemKind',
    description: 'ok: nothing to fix in the call itself (a 4xx the callee meant, which its caller handled)',
  });

export const FieldProblem = z
  .object({
    field: z.string().describe('e.g. email, items.0.quantity, or limit (in the query)'),
    sent: z.string().describe('the value sent, as JSON; nothing when it is missing'),
    expected: z.string().describe("what the callee's schema wants there"),
  })
  .meta({ id: 'FieldProblem' });

export const ExplanationPublic = z
  .object({
    call_id: z.int(),
    kind: ProblemKind,
    sentence: z.string().describe('what happened, in one plain sentence'),
    fix: z.string().describe('what to change; empty when there is nothing to fix'),
    details: z.array(FieldProblem).optional().describe('a wrong payload, field by field'),
  })
  .meta({ id: 'Explanation' });

export const CallFilter = z.object({
  trace_id: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  caller: z.string().max(64).optional(),
  callee: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const ServiceStatePublic = z
  .object({
    name: z.string(),
    url: z.string(),
    port: z.int(),
    health: z.enum(['up', 'down']),
    switch: SwitchState,
    records: z.record(z.string(), z.int().nullable()),
    calls: z.array(z.string()),
    checked_at: z.string(),
  })
  .meta({ id: 'ServiceState' });

export const ServicesPublic = pageOf(ServiceStatePublic, 'Services');

export const RecordsPath = z.object({ service: z.string().max(64), list: z.string().max(64) });

export const RecordsQuery = z.object({ last: z.coerce.number().int().min(1).max(100).default(20) });

export const RecordsPublic = z
  .object({ data: z.array(z.record(z.string(), z.unknown())), count: z.int() })
  .meta({ id: 'Records' });

export const DataPath = z.object({ service: z.string().max(64) });

export const ServiceDataPublic = z
  .object({
    service: z.string(),
    file: z.string().describe('the data file, relative to the repository when it is in it, else absolute'),
    exists: z.boolean().describe('false until the service first starts and writes its seed: then no records'),
    collections: z
      .record(z.string(), z.array(z.unknown()))
      .describe("the data's top-level lists, one per resource, journal included: { users: [...] }"),
    pending: z
      .int()
      .describe('journal lines (flushes) the data file does not hold yet; 0 once the store rewrote it'),
    text: z.string().describe("the file's text as it is on disk, empty when there is none"),
  })
  .meta({ id: 'ServiceData' });

export const ResetPublic = z
  .object({ reset: z.array(z.string()).describe('the services now back to their seed data') })
  .meta({ id: 'Reset' });
