import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { traceIdOf } from '@microtown/kit';
import { SERVICE_NAME } from '@microtown/kit/town';
import {
  createProxyMiddleware,
  debugProxyErrorsPlugin,
  proxyEventsPlugin,
  type RequestHandler,
} from 'http-proxy-middleware';
import { answer } from './answer.js';
import { captureBodies } from './body-capture.js';
import type { Faults } from './faults.js';
import { parseProxyPath } from './parse-proxy-path.js';
import type { Recorder } from './recorder.js';
import type { Registry, Service } from './registry.js';
import type { Switches } from './switches.js';

export interface ProxyOptions {
  registry: Registry;
  recorder: Recorder;
  switches: Switches;
  /** The fault lab's faults, applied to each call before it is forwarded. */
  faults: Faults;
  /** How long a service may take to answer before the proxy gives up with 504. */
  timeoutMs?: number;
}

export interface Proxy {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): void;
}

/** Marks requests the playground sends, so a service URL that points back at the playground is caught. */
const VIA = '1.1 microtown-playground';
const TRACE_ID = /^[0-9a-f]{32}$/;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** `/svc/<service>/...` to the services of the registry, and nowhere else; every call is recorded. */
export function createProxy({
  registry,
  recorder,
  switches,
  faults,
  timeoutMs = 10_000,
}: ProxyOptions): Proxy {
  // One pool of kept-alive connections per service: http-proxy-middleware 3 opens one per request without it.
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  const timedOut = new WeakSet<IncomingMessage>();
  const notFound = () =>
    `Not Found: /svc/<service>/<path> reaches only the town's services (${[...registry.keys()].join(', ') || 'none yet'})`;

  const failed = (service: Service, error: Error & { code?: string }, req: IncomingMessage) => {
    if (timedOut.has(req))
      return [504, `${service.name} did not answer within ${timeoutMs / 1000} s`] as const;
    if (UNREACHABLE.has(error.code ?? '')) {
      return [503, `${service.name} unavailable (nothing answers at ${service.url})`] as const;
    }
    return [
      502,
      `${service.name} closed the connection without an answer (${error.code ?? error.message})`,
    ] as const;
  };

  // One per service, made on its first call: a service that joins the town later is proxied alike.
  const proxies = new Map<string, { url: string; handle: RequestHandler }>();
  const proxyOf = (service: Service) => {
    const known = proxies.get(service.name);
    if (known?.url === service.url) return known.handle;
    const handle = createProxyMiddleware<IncomingMessage, ServerResponse>({
      target: service.url,
      changeOrigin: true,
      agent: service.url.startsWith('https:') ? httpsAgent : agent,
      proxyTimeout: timeoutMs,
      // Set with the request's own headers: a request queued for a pooled socket has sent them by the time
      // `proxyReq` fires, and a setHeader there throws.
      headers: { via: VIA },
      // Of the default plugins, errorResponsePlugin would answer a failed call in plain text (the `error` handler
      // below answers FastAPI's 503) and loggerPlugin would print every call (the recorder keeps them); the two
      // kept guard against crashes on socket errors and a restarting target, and wire the `on` handlers.
      ejectPlugins: true,
      plugins: [debugProxyErrorsPlugin, proxyEventsPlugin],
      on: {
        proxyReq: (proxyReq, req) => {
          proxyReq.once('timeout', () => timedOut.add(req));
        },
        // A redirect to `/docs/` means the service's /docs/, which is /svc/<name>/docs/ from here.
        proxyRes: (proxyRes) => {
          const location = proxyRes.headers.location;
          if (location?.startsWith('/') && !location.startsWith('//')) {
            proxyRes.headers.location = `/svc/${service.name}${location}`;
          }
        },
        error: (error, req, res) => {
          if (!('writeHead' in res)) return;
          const [status, detail] = failed(service, error, req);
          answer(res, status, detail);
        },
      },
    });
    proxies.set(service.name, { url: service.url, handle });
    return handle;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, service: Service) => {
    if (req.destroyed) return;
    proxyOf(service)(req, res);
  };

  return {
    handle(req, res) {
      const target = parseProxyPath(req.url);
      const service = target && registry.get(target.service);
      if (!target || !service) return answer(res, 404, notFound());
      if (String(req.headers.via ?? '').includes('microtown-playground')) {
        return answer(res, 508, `${service.name}'s URL ${service.url} points back at the playground`);
      }

      const started = performance.now();
      const caller = String(req.headers['x-caller'] ?? '');
      const traceparent = traceIdOf(req.headers.traceparent as string | undefined);
      const key = req.headers['idempotency-key'];
      // The start of a JSON body, and of an error's JSON answer, as they pass: what explains a failed call.
      const capture = captureBodies(req, res);
      res.once('close', () => {
        const traceId = traceparent ?? String(res.getHeader('x-trace-id') ?? '');
        recorder.record({
          time: new Date(performance.timeOrigin + started).toISOString(),
          started_ms: Math.round((performance.timeOrigin + started) * 1000) / 1000,
          caller: caller.length <= 40 && SERVICE_NAME.test(caller) ? caller : null,
          callee: service.name,
          method: req.method ?? 'GET',
          path: target.path.slice(0, 300),
          status: res.headersSent ? res.statusCode : 0,
          duration_ms: Math.round((performance.now() - started) * 100) / 100,
          trace_id: TRACE_ID.test(traceId) ? traceId : null,
          ...(typeof key === 'string' && key ? { idempotency_key: key.slice(0, 200) } : {}),
          ...capture.bodies(),
        });
      });

      const state = switches.get(service.name);
      if (state.mode === 'down') {
        return answer(res, 503, `${service.name} unavailable (switched off in the playground)`);
      }
      req.url = target.path;
      const pass = () => {
        if (state.mode === 'slow') setTimeout(forward, state.delay_ms, req, res, service);
        else forward(req, res, service);
      };
      // The fault lab's hook (faults.ts): a matching fault fails, holds, cuts or delays the call before it leaves.
      const call = { caller, to: service.name, method: req.method ?? 'GET', path: target.path };
      faults.apply(call, req, res, pass);
    },
    close() {
      agent.destroy();
      httpsAgent.destroy();
    },
  };
}
