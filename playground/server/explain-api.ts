import { type Service as Api, HTTPException, PROBE_HEADER } from '@microtown/kit';
import { classify, needsCallerOpenApi, needsOpenApi, type OpenApi } from './explain.js';
import type { Recorder } from './recorder.js';
import type { Registry } from './registry.js';
import { CallIdPath, ExplanationPublic } from './schemas.js';

export interface ExplainDeps {
  registry: Registry;
  recorder: Recorder;
  /** The proxy's limit (default 10 s, the proxy's own), for a 504 whose answer is no longer kept. */
  timeoutMs?: number;
  /** How long a service's OpenAPI document is reused (default 5 s): a service that reloads has a new one soon. */
  openApiTtlMs?: number;
}

export interface OpenApiCache {
  /** The service's document, `null` when it has none (not found, not JSON, or no answer within 2 s). */
  get(service: string): Promise<OpenApi | null>;
}

/** Read from the service's real URL, not through the proxy: the playground's own reads are not the town's calls. */
async function readOpenApi(url: string): Promise<OpenApi | null> {
  try {
    const response = await fetch(`${url}/openapi.json`, {
      signal: AbortSignal.timeout(2000),
      headers: { [PROBE_HEADER]: '1' },
    });
    if (!response.ok) return null;
    const document = (await response.json()) as OpenApi;
    return typeof document?.paths === 'object' && document.paths !== null ? document : null;
  } catch {
    return null;
  }
}

/** One document per service, kept a few seconds; calls explained together share one read. */
export function createOpenApiCache(registry: Registry, ttlMs = 5000): OpenApiCache {
  const kept = new Map<string, { url: string; at: number; document: Promise<OpenApi | null> }>();
  return {
    get(name) {
      const service = registry.get(name);
      if (!service) return Promise.resolve(null);
      const known = kept.get(name);
      if (known?.url === service.url && performance.now() - known.at < ttlMs) return known.document;
      const document = readOpenApi(service.url);
      kept.set(name, { url: service.url, at: performance.now(), document });
      return document;
    },
  };
}

/** `GET /api/calls/{id}/explanation`: why a recorded call failed, and the fix (see explain.ts). */
export function addExplainRoutes(api: Api, deps: ExplainDeps): void {
  const { registry, recorder, timeoutMs = 10_000 } = deps;
  const openapi = createOpenApiCache(registry, deps.openApiTtlMs);

  api.get(
    '/api/calls/{id}/explanation',
    {
      summary: 'Why a recorded call failed, in one sentence, and the fix',
      description:
        "Read from the call as recorded (with the start of its JSON bodies) and the callee's /openapi.json: a " +
        'wrong URL names the nearest route, a wrong payload shows field by field what was sent and what the schema ' +
        'wants, and an accepted call that sent unknown fields is a payload_warning. A service without OpenAPI gets ' +
        'the generic explanations.',
      operationId: 'explain_call',
      tags: ['playground'],
      params: CallIdPath,
      response: ExplanationPublic,
      errors: { 404: 'No such call recorded (the record keeps the last calls only)' },
    },
    async ({ params }) => {
      const call = recorder.call(params.id);
      if (!call) throw new HTTPException(404, `No call ${params.id} recorded (or no longer kept)`);
      const trace = call.trace_id ? recorder.calls({ trace_id: call.trace_id }) : [call];
      const [callee, caller] = await Promise.all([
        needsOpenApi(call) ? openapi.get(call.callee) : null,
        call.caller && needsCallerOpenApi(call, trace) ? openapi.get(call.caller) : undefined,
      ]);
      return classify(call, callee, trace, { callerOpenApi: caller, timeoutMs });
    },
  );
}
