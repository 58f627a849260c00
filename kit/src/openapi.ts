import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { RouteSpec } from './route.js';

export type OpenAPIDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const ValidationError = z
  .object({
    loc: z.array(z.union([z.string(), z.number()])),
    msg: z.string(),
    type: z.string(),
    input: z.unknown().optional(),
    ctx: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ValidationError' });
const HTTPValidationError = z
  .object({ detail: z.array(ValidationError) })
  .meta({ id: 'HTTPValidationError' });
const HTTPError = z.object({ detail: z.string() }).meta({ id: 'HTTPError' });

/**
 * Where the operations are: `.` is relative to wherever the document was read from (OpenAPI allows relative server
 * URLs and Swagger UI and Redoc resolve them against the spec's URL). So "Try it out" on
 * http://127.0.0.1:4001/docs calls http://127.0.0.1:4001/..., and through the playground, on /svc/user/docs, calls
 * /svc/user/... (recorded); without `servers` the default `/` would send it to the playground's root.
 */
const SERVERS = [{ url: '.', description: 'this service, where its /openapi.json was read' }];

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

function responses(spec: RouteSpec): Record<string, ResponseConfig> {
  const status = String(spec.status ?? 200);
  const out: Record<string, ResponseConfig> = {
    [status]: {
      description: status === '204' ? 'No Content' : 'Successful Response',
      ...(spec.response && status !== '204' ? { content: json(spec.response) } : {}),
    },
  };
  for (const [code, description] of Object.entries(spec.errors ?? {})) {
    out[code] = { description, content: json(HTTPError) };
  }
  if (spec.params || spec.query || spec.body || spec.headers) {
    out['422'] = { description: 'Validation Error', content: json(HTTPValidationError) };
  }
  return out;
}

/** Builds the OpenAPI 3.1 document from the routes' zod schemas; nothing in it is written by hand. */
export function buildOpenAPI(
  info: { title: string; version: string; description?: string },
  routes: RouteSpec[],
) {
  const registry = new OpenAPIRegistry();
  for (const spec of routes) {
    registry.registerPath({
      method: spec.method,
      path: spec.path,
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.tags ? { tags: spec.tags } : {}),
      request: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.headers ? { headers: spec.headers } : {}),
        ...(spec.body ? { body: { required: true, content: json(spec.body) } } : {}),
      },
      responses: responses(spec),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info,
    servers: SERVERS,
  });
}
