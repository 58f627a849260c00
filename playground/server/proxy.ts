import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { traceIdOf } from '@microtown/kit';
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
  /** What one slow or busy caller may hold (`PLAYGROUND_BODY_TIMEOUT_MS` and the rest, see settings.ts). */
  limits?: Partial<ProxyLimits>;
}

/** What keeps slow and busy callers from holding a service's connections for everyone else. */
export interface ProxyLimits {
  /** A request's whole body must arrive within this, or the proxy answers 408 and closes the connection. */
  bodyTimeoutMs: number;
  /** Nor may it stop arriving for longer than this. */
  bodyIdleMs: number;
  /** A body up to this size is read whole before its call takes one of the service's connections. */
  bufferBytes: number;
  /** Larger bodies streamed on to one service at once (each holds a connection while it arrives); more get 503. */
  maxUploads: number;
  /** Calls to one service waiting for one of its connections; more get 503. */
  maxQueued: number;
}

export const DEFAULT_LIMITS: ProxyLimits = {
  bodyTimeoutMs: 10_000,
  bodyIdleMs: 5_000,
  bufferBytes: 64 * 1024,
  maxUploads: 16,
  maxQueued: 1024,
};

export interface Proxy {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): void;
}

/** Marks requests the playground sends, so a service URL that points back at the playground is caught. */
const VIA = '1.1 microtown-playground';
const TRACE_ID = /^[0-9a-f]{32}$/;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** Connections kept to each service. */
const MAX_SOCKETS = 256;

const seconds = (ms: number) => `${ms / 1000} s`;
const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/**
 * A body must all arrive within `bodyTimeoutMs`, never pausing for `bodyIdleMs`; else 408 and the connection is
 * closed. Node's own `server.requestTimeout` is checked only every 30 s and answers without a body.
 */
function guardBody(req: IncomingMessage, res: ServerResponse, name: string, limits: ProxyLimits) {
  if (req.complete) return;
  const tooSlow = (why: string) => () => {
    stop();
    if (!res.headersSent) res.setHeader('connection', 'close');
    answer(res, 408, `${name}: the request's body ${why}`);
  };
  const { bodyTimeoutMs, bodyIdleMs } = limits;
  const late = `did not all arrive within ${seconds(bodyTimeoutMs)} (PLAYGROUND_BODY_TIMEOUT_MS)`;
  const deadline = setTimeout(tooSlow(late), bodyTimeoutMs);
  const stalled = `stopped arriving for ${seconds(bodyIdleMs)} (PLAYGROUND_BODY_IDLE_MS)`;
  const idle = setTimeout(tooSlow(stalled), bodyIdleMs);
  const arrived = () => idle.refresh();
  const stop = () => {
    clearTimeout(deadline);
    clearTimeout(idle);
    req.off('data', arrived);
  };
  req.on('data', arrived);
  req.once('end', stop);
  res.once('close', stop);
}

/**
 * Reads the body, up to `limit` bytes, before its call takes a connection to the service (a slow upload then holds
 * none), and hands it to the upstream request when http-proxy pipes the request there; `whole` says whether that
 * was all of it, else the rest streams after it.
 */
function holdBody(req: IncomingMessage, res: ServerResponse, limit: number, ready: (whole: boolean) => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  const stop = () => {
    req.off('data', keep);
    req.off('end', ended);
    res.off('close', stop);
  };
  const done = (whole: boolean) => {
    stop();
    if (!whole) req.pause();
    if (res.writableEnded) return;
    const pipe = req.pipe.bind(req);
    req.pipe = ((dest: NodeJS.WritableStream, options?: { end?: boolean }) => {
      for (const chunk of chunks) dest.write(chunk);
      if (!whole) return pipe(dest, options);
      dest.end();
      return dest;
    }) as typeof req.pipe;
    ready(whole);
  };
  const keep = (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) done(false);
  };
  const ended = () => done(true);
  req.on('data', keep);
  req.once('end', ended);
  res.once('close', stop);
  req.resume();
}

/** `/svc/<service>/...` to the services of the registry, and nowhere else; every call is recorded. */
export function createProxy({
  registry,
  recorder,
  switches,
  faults,
  timeoutMs = 10_000,
  limits: given,
}: ProxyOptions): Proxy {
  const limits = { ...DEFAULT_LIMITS, ...given };
  // One pool of kept-alive connections per service: http-proxy-middleware 3 opens one per request without it. Large
  // bodies stream through a small pool of their own, so that slow ones cannot hold the connections of the rest.
  const pools = [
    new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: 64 }),
    new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: 64 }),
    new Agent({ keepAlive: true, maxSockets: limits.maxUploads, maxFreeSockets: 4 }),
    new HttpsAgent({ keepAlive: true, maxSockets: limits.maxUploads, maxFreeSockets: 4 }),
  ];
  // Per service, once a call's body is held: the calls under way (one connection each), those waiting for one, and
  // the large bodies streaming. The proxy queues the calls itself, never the pool: a call waiting in a pool's queue
  // could wait for ever (its timeout starts with its connection), and could not be taken out when its caller leaves.
  const lanes = new Map<string, { active: number; waiting: (() => void)[]; streaming: number }>();
  const laneOf = (name: string) => {
    const lane = lanes.get(name) ?? { active: 0, waiting: [], streaming: 0 };
    lanes.set(name, lane);
    return lane;
  };
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

  // Two per service (its pools), made on its first call: a service that joins the town later is proxied alike.
  const proxies = new Map<string, { url: string; handle: RequestHandler }>();
  const proxyOf = (service: Service, streamed: boolean) => {
    const key = `${service.name}${streamed ? ' streamed' : ''}`;
    const known = proxies.get(key);
    if (known?.url === service.url) return known.handle;
    const handle = createProxyMiddleware<IncomingMessage, ServerResponse>({
      target: service.url,
      changeOrigin: true,
      agent: pools[(streamed ? 2 : 0) + (service.url.startsWith('https:') ? 1 : 0)],
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
    proxies.set(key, { url: service.url, handle });
    return handle;
  };

  const busy = (req: IncomingMessage, res: ServerResponse, name: string, why: string) => {
    res.setHeader('retry-after', '1');
    // Else Node would read the rest of a refused body, however slowly it comes, to keep the connection.
    if (!req.complete) res.setHeader('connection', 'close');
    answer(res, 503, `${name} busy: ${why}; try again shortly`);
  };

  const stream = (req: IncomingMessage, res: ServerResponse, service: Service) => {
    const lane = laneOf(service.name);
    if (lane.streaming >= limits.maxUploads) {
      const why = `${limits.maxUploads} bodies over ${limits.bufferBytes / 1024} KiB are streaming to it already`;
      return busy(req, res, service.name, `${why} (PLAYGROUND_MAX_UPLOADS)`);
    }
    lane.streaming++;
    res.once('close', () => lane.streaming--);
    proxyOf(service, true)(req, res);
  };

  /** At most MAX_SOCKETS calls under way to a service; then `maxQueued` wait, each for `timeoutMs` at most. */
  const send = (req: IncomingMessage, res: ServerResponse, service: Service) => {
    const lane = laneOf(service.name);
    const start = () => {
      lane.active++;
      res.once('close', () => {
        lane.active--;
        lane.waiting.shift()?.();
      });
      proxyOf(service, false)(req, res);
    };
    if (lane.active < MAX_SOCKETS) return start();
    if (lane.waiting.length >= limits.maxQueued) {
      const why = `${MAX_SOCKETS} calls to it are under way and ${limits.maxQueued} more wait`;
      return busy(req, res, service.name, `${why} (PLAYGROUND_MAX_QUEUED)`);
    }
    const leave = () => {
      clearTimeout(timer);
      const at = lane.waiting.indexOf(turn);
      if (at >= 0) lane.waiting.splice(at, 1);
    };
    const turn = () => {
      leave();
      res.off('close', leave);
      start();
    };
    const timer = setTimeout(() => {
      leave();
      const why = `none of the ${MAX_SOCKETS} calls under way to it ended within ${seconds(timeoutMs)}`;
      busy(req, res, service.name, why);
    }, timeoutMs);
    lane.waiting.push(turn);
    res.once('close', leave);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, service: Service) => {
    if (req.destroyed) return;
    if (!hasBody(req)) return send(req, res, service);
    guardBody(req, res, service.name, limits);
    holdBody(req, res, limits.bufferBytes, (whole) => (whole ? send : stream)(req, res, service));
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
      // Only a service of the town (it may have joined since the start) is a caller: any other x-caller, made up or
      // mistyped, is a call from outside, so that no number of them can crowd the real edges out of the graph.
      const header = String(req.headers['x-caller'] ?? '');
      const caller = registry.has(header) ? header : null;
      const traceparent = traceIdOf(req.headers.traceparent as string | undefined);
      const key = req.headers['idempotency-key'];
      // The start of a JSON body, and of an error's JSON answer, as they pass: what explains a failed call.
      const capture = captureBodies(req, res);
      let slowedMs = 0;
      res.once('close', () => {
        const traceId = traceparent ?? String(res.getHeader('x-trace-id') ?? '');
        const slowed = slowedMs ? `slowed ${slowedMs.toLocaleString('en')} ms by the slow switch` : undefined;
        const held = [faults.heldBy(res), slowed].filter(Boolean).join(', then ');
        recorder.record({
          time: new Date(performance.timeOrigin + started).toISOString(),
          started_ms: Math.round((performance.timeOrigin + started) * 1000) / 1000,
          caller,
          callee: service.name,
          method: req.method ?? 'GET',
          path: target.path.slice(0, 300),
          status: res.headersSent ? res.statusCode : 0,
          duration_ms: Math.round((performance.now() - started) * 100) / 100,
          trace_id: TRACE_ID.test(traceId) ? traceId : null,
          ...(typeof key === 'string' && key ? { idempotency_key: key.slice(0, 200) } : {}),
          ...(held ? { held_by: held } : {}),
          ...capture.bodies(),
        });
      });

      const state = switches.get(service.name);
      if (state.mode === 'down') {
        return answer(res, 503, `${service.name} unavailable (switched off in the playground)`);
      }
      req.url = target.path;
      const pass = () => {
        if (state.mode !== 'slow') return forward(req, res, service);
        slowedMs = state.delay_ms;
        setTimeout(forward, state.delay_ms, req, res, service);
      };
      // The fault lab's hook (faults.ts): a matching fault fails, holds, cuts or delays the call before it leaves.
      const call = { caller: caller ?? '', to: service.name, method: req.method ?? 'GET', path: target.path };
      faults.apply(call, req, res, pass);
    },
    close() {
      for (const pool of pools) pool.destroy();
    },
  };
}
