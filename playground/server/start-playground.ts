import type { Server } from 'node:http';
import { join } from 'node:path';
import { createLogger, type Logger, refusal, serve } from '@microtown/kit';
import { HOST, PLAYGROUND_PORT } from '@microtown/kit/town';
import express from 'express';
import { answer } from './answer.js';
import { addCheckRoutes, type CheckOptions } from './check-work.js';
import { createApi } from './create-api.js';
import { addDataRoutes, type ResetHook } from './data-api.js';
import { createEvents } from './events.js';
import { addExplainRoutes } from './explain-api.js';
import { createFaults, type Faults } from './faults.js';
import { addFaultRoutes } from './faults-api.js';
import { type Graph, graph } from './graph.js';
import { createMonitor } from './monitor.js';
import { createOtlpExporter, type OtlpExportOptions } from './otlp-export.js';
import { createProxy, type ProxyLimits } from './proxy.js';
import { createRecorder, type Recorder } from './recorder.js';
import { checkTarget, createRegistry, type ServiceTarget } from './registry.js';
import { createSwitches, type Switches } from './switches.js';
import { addTraceRoutes } from './traces-api.js';
import { connectWorkbench, type Workbench } from './workbench.js';
import { addWorkbenchRoutes } from './workbench-api.js';

/** Where `buildPage()` puts the page. */
export const PAGE_DIR = join(import.meta.dirname, '..', 'web', 'dist');

export interface PlaygroundOptions {
  /** The services it may reach, each with its real URL; nothing else is ever proxied. */
  services: ServiceTarget[];
  /** Default `PLAYGROUND_PORT` (4000); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The built page's folder (default playground/web/dist); `false` serves the API and the proxy only. */
  page?: string | false;
  /** Calls kept in memory (default 5000). */
  maxCalls?: number;
  /** How long a service may take before the proxy answers 504 (default 10 s). */
  timeoutMs?: number;
  /** What a slow or busy caller may hold of a service (proxy.ts's DEFAULT_LIMITS unless given; see settings.ts). */
  limits?: Partial<ProxyLimits>;
  /** How often health and record counts are probed while the page is open (default 1 s). */
  probeIntervalMs?: number;
  logger?: Logger;
  /**
   * Puts the named services back to their seed data (stop, remove the data file, start again); given by whoever
   * started them, `npm start`. Without it the page's reset answers 409.
   */
  reset?: ResetHook;
  /** What `npm start` tells of the services it runs (logs, reloads, crashes); none when the playground runs alone. */
  workbench?: Workbench;
  /** "Check my work": which exercise's learner's services run here; off unless given (`npm start` gives it). */
  check?: Omit<CheckOptions, 'url' | 'changed'>;
  /** Sends every recorded call to an OTLP/HTTP receiver as spans (see readOtlpSettings); off unless given. */
  otlp?: OtlpExportOptions;
}

export interface Playground {
  /** e.g. `http://127.0.0.1:4000`; a service is at `${url}/svc/<name>`. */
  url: string;
  port: number;
  server: Server;
  recorder: Recorder;
  switches: Switches;
  /** The fault lab's faults (also `/api/faults`): `playground.faults.clear()` puts every call back to normal. */
  faults: Faults;
  graph(): Graph;
  close(): Promise<void>;
}

/** The proxy, the recorder, the JSON API and the page, on one port. */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const { port = PLAYGROUND_PORT, host = HOST, page = PAGE_DIR } = options;
  const registry = createRegistry(options.services);
  const recorder = createRecorder({ maxCalls: options.maxCalls });
  const switches = createSwitches([...registry.keys()]);
  const currentGraph = () => graph(registry, recorder);
  const monitor = createMonitor(registry, switches, options.probeIntervalMs);
  const faults = createFaults();
  const events = createEvents({ recorder, monitor, graph: currentGraph, faults });
  const proxy = createProxy({
    registry,
    recorder,
    switches,
    faults,
    timeoutMs: options.timeoutMs,
    limits: options.limits,
  });
  // Its own API's requests are the page's polling, not worth a line each unless asked for.
  const logger = options.logger ?? createLogger('playground', process.env.LOG_LEVEL ?? 'warn');
  const api = createApi({ registry, recorder, switches, monitor, events, graph: currentGraph, logger });
  const workbench = options.workbench ?? connectWorkbench(undefined);
  addDataRoutes(api, { registry, monitor, reset: options.reset ?? workbench.reset });
  addExplainRoutes(api, { registry, recorder, timeoutMs: options.timeoutMs });
  addWorkbenchRoutes(api, workbench);
  addFaultRoutes(api, { registry, faults });
  // A call waits for its caller's call at most as long as the proxy lets that one run.
  const parentWaitMs = (options.timeoutMs ?? 10_000) + 1000;
  const exporter = options.otlp && createOtlpExporter(recorder, { logger, parentWaitMs, ...options.otlp });
  addTraceRoutes(api, { recorder, exporter });
  const unsubscribe = workbench.subscribe((happened) => {
    // A service generated while the town runs is proxied from now on, as if it had been there at start.
    const joined = happened.flatMap((e) => (e.type === 'service' ? [e] : []));
    for (const { service, url, calls, lists, dataFile } of joined) {
      registry.set(service, checkTarget({ name: service, url, calls, lists, dataFile }));
      switches.add(service);
    }
    events.town(happened);
    if (joined.length) void events.servicesChanged();
  });
  let selfUrl = '';
  const check = addCheckRoutes(api, {
    enabled: false,
    learners: [],
    ...options.check,
    url: () => selfUrl,
    changed: (run) => events.check(run),
  });

  const app = express();
  app.disable('x-powered-by');
  app.get('/api/events', (req, res) => events.stream(req, res));
  if (page) app.use(express.static(page));
  app.use(api.app);

  // The proxy path skips Express: it is the hot path, and it must see the raw, undecoded URL.
  const { server, url } = await serve(
    (req, res) => {
      // As every service of the town: no stranger's Host (DNS rebinding), no other site's page changing anything.
      const refused = refusal(req);
      if (refused) return answer(res, 403, refused);
      if (/^\/svc([/?]|$)/.test(req.url ?? '')) proxy.handle(req, res);
      else app(req, res);
    },
    port,
    host,
  );
  const bound = Number(new URL(url).port);
  selfUrl = url;

  return {
    url,
    port: bound,
    server,
    recorder,
    switches,
    faults,
    graph: currentGraph,
    async close() {
      unsubscribe();
      await check.close();
      events.close();
      // Calls a hang holds would keep the server from closing: cut them now.
      faults.close();
      monitor.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Calls still under way get a moment, then their connections are cut.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      proxy.close();
      // Last: the calls that ended as the server closed are recorded by now, and go out with the rest.
      await exporter?.close();
    },
  };
}
