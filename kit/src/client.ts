import type { IncomingHttpHeaders } from 'node:http';
import CircuitBreaker from 'opossum';
import type { Agent } from 'undici';
import { HTTPException } from './errors.js';
import { retry } from './retry.js';
import { outgoingTraceparent, propagateTraces } from './trace.js';

export interface ClientOptions {
  /** The called service's name, used in errors: `user unavailable`. */
  service: string;
  /** May carry a path prefix, as the playground's `http://127.0.0.1:4000/svc/user`. */
  baseUrl: string;
  /** The calling service's name, sent as `x-caller`. */
  caller: string;
  /** Per attempt: connect + headers + body. Default 2000. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls. Default 2. */
  retries?: number;
  /** First wait between attempts, doubled each time. Default 50. */
  backoffMs?: number;
  /** Budget for the whole call, retries included. Default: the call's timeout. */
  deadlineMs?: number;
  /**
   * Fail fast while the service keeps failing (a circuit breaker): once at least `failures` attempts in the last
   * 10 s were made and half of them failed (no answer in time, no connection, a 5xx), calls answer
   * `<service> unavailable` at once, without calling, for `pauseMs`; then one call goes through, and if it passes
   * the others follow. Off unless given.
   */
  breaker?: { failures?: number; pauseMs?: number };
}

export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as `Idempotency-Key`; makes a POST or PATCH safe to retry. */
  idempotencyKey?: string;
  timeoutMs?: number;
}

export interface ClientResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

type Method = <T = unknown>(path: string, options?: CallOptions) => Promise<ClientResponse<T>>;

export interface Client {
  readonly service: string;
  readonly baseUrl: string;
  request<T = unknown>(method: string, path: string, options?: CallOptions): Promise<ClientResponse<T>>;
  get: Method;
  post: Method;
  put: Method;
  patch: Method;
  delete: Method;
  close(): Promise<void>;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([502, 503, 504]);
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** An HTTP client for calling another service of the town. Non-2xx answers are returned, not thrown. */
export function createClient(options: ClientOptions): Client {
  const { service, caller, timeoutMs = 2000, retries = 2, backoffMs = 50 } = options;
  const { origin, prefix } = parseBaseUrl(service, options.baseUrl);
  // One pool per origin, connections kept alive between calls. undici is loaded here, not at the top: a service
  // that calls no other starts without it.
  const agent: Promise<Agent> = import('undici').then((undici) => new undici.Agent());
  propagateTraces();

  const unavailable = (cause: unknown) =>
    Object.assign(new HTTPException(503, `${service} unavailable`), { cause });
  const guard = circuit(options.breaker, unavailable);

  async function request<T>(
    method: string,
    path: string,
    call: CallOptions = {},
  ): Promise<ClientResponse<T>> {
    method = method.toUpperCase();
    const headers = callHeaders(caller, call);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const attemptMs = call.timeoutMs ?? timeoutMs;

    const attempt = async (timeLeftMs: number): Promise<RawResponse> => {
      const signal = AbortSignal.timeout(Math.max(0, Math.min(attemptMs, timeLeftMs)));
      try {
        const res = await (await agent).request({
          origin,
          path: requestPath(prefix, path, call.query),
          method,
          headers: { traceparent: outgoingTraceparent(), ...headers },
          body,
          signal,
        });
        return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
      } catch (error) {
        if (signal.aborted || CONNECTION_ERRORS.has((error as { code?: string }).code ?? '')) {
          throw unavailable(error);
        }
        throw error;
      }
    };
    const send = (timeLeftMs: number) => guard(() => attempt(timeLeftMs));

    const raw = await retry(send, {
      retries: IDEMPOTENT.has(method) || 'idempotency-key' in headers ? retries : 0,
      backoffMs,
      deadlineMs: options.deadlineMs ?? attemptMs,
      // send throws an HTTPException only when the callee could not be reached or timed out, or the breaker is
      // open: then a retry would be refused too.
      retryable: (o) =>
        o.ok ? RETRY_STATUSES.has(o.value.status) : o.error instanceof HTTPException && !isOpen(o.error),
    });
    return { status: raw.status, headers: raw.headers, body: parseBody(service, raw) as T };
  }

  const method =
    (name: string): Method =>
    (path, call) =>
      request(name, path, call);

  return {
    service,
    baseUrl: origin + prefix,
    request,
    get: method('GET'),
    post: method('POST'),
    put: method('PUT'),
    patch: method('PATCH'),
    delete: method('DELETE'),
    close: async () => (await agent).close(),
  };
}

/** `ClientOptions.breaker: {}`: open after 5 attempts of which half failed, for 2 s. */
export const BREAKER_DEFAULTS = { failures: 5, pauseMs: 2000 } as const;

const OPEN = Symbol('breaker open');
const isOpen = (error: HTTPException) => OPEN in error;

/** A 5xx, carried through the breaker as a failure and handed back to the caller as the answer it was. */
class FailedAnswer extends Error {
  constructor(readonly raw: RawResponse) {
    super(`answered ${raw.status}`);
  }
}

/**
 * The breaker of `ClientOptions.breaker` (opossum): runs an attempt through it, counting no answer and 5xx answers
 * as failures; while it is open, throws `<service> unavailable` without calling. Without settings, runs it as is.
 */
function circuit(
  settings: ClientOptions['breaker'],
  unavailable: (cause: unknown) => HTTPException,
): (attempt: () => Promise<RawResponse>) => Promise<RawResponse> {
  if (!settings) return (attempt) => attempt();
  const breaker = new CircuitBreaker(
    async (attempt: () => Promise<RawResponse>) => {
      const raw = await attempt();
      if (raw.status >= 500) throw new FailedAnswer(raw);
      return raw;
    },
    {
      timeout: false, // each attempt has its own (ClientOptions.timeoutMs)
      volumeThreshold: settings.failures ?? BREAKER_DEFAULTS.failures,
      errorThresholdPercentage: 50,
      resetTimeout: settings.pauseMs ?? BREAKER_DEFAULTS.pauseMs,
      rollingCountTimeout: 10_000,
    },
  );
  return async (attempt) => {
    try {
      return await breaker.fire(attempt);
    } catch (error) {
      if (error instanceof FailedAnswer) return error.raw;
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        throw Object.assign(unavailable(error), { [OPEN]: true });
      }
      throw error;
    }
  };
}

function parseBaseUrl(service: string, baseUrl: string): { origin: string; prefix: string } {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username) {
    throw new Error(
      `invalid base URL for ${service}: ${JSON.stringify(baseUrl)}; expected e.g. http://127.0.0.1:4001`,
    );
  }
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

function requestPath(prefix: string, path: string, query: CallOptions['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) params.append(name, String(value));
  const search = params.toString();
  const joined = `${prefix}/${path.replace(/^\/+/, '')}`;
  return search ? `${joined}${joined.includes('?') ? '&' : '?'}${search}` : joined;
}

function callHeaders(caller: string, call: CallOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-caller': caller };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
  for (const [name, value] of Object.entries(call.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

function parseBody(service: string, { text, headers }: RawResponse): unknown {
  if (text === '') return undefined;
  if (!/\bjson\b/i.test(String(headers['content-type'] ?? ''))) return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw Object.assign(new HTTPException(502, `${service} sent invalid JSON`), { cause: error });
  }
}
