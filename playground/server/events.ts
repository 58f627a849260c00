import type { TownEvent } from '@microtown/kit/town';
import type { Request, Response } from 'express';
import type { CheckRun } from './check-work.js';
import type { Faults } from './faults.js';
import type { Graph } from './graph.js';
import type { Monitor } from './monitor.js';
import type { Call, Recorder } from './recorder.js';

export interface Events {
  /** `GET /api/events`: server-sent events `services`, `graph`, `calls`, `town`, `check`, `cleared` and `faults`. */
  stream(req: Request, res: Response): Promise<void>;
  /** Sends the services' states now (a switch changed). */
  servicesChanged(): Promise<void>;
  /** What `npm start` said of its services (log lines, reloads, crashes), as the server-sent event `town`. */
  town(happened: TownEvent[]): void;
  /** A run of "Check my work" changed (a task began, failed, or the score came), as the event `check`. */
  check(run: CheckRun): void;
  /** The calls were forgotten: every open page empties its lists and its observed edges. */
  cleared(): void;
  close(): void;
}

export interface EventsOptions {
  recorder: Recorder;
  monitor: Monitor;
  graph: () => Graph;
  /** The fault lab: its list is sent as `faults` on connect, and again (batched) when it changes or counts hits. */
  faults?: Faults;
  /** New calls are sent in batches, at most one per this many milliseconds. */
  batchMs?: number;
}

const MAX_BATCH = 500;

/** Live updates for the page: calls in batches (a busy town must not flood the browser), health as probed. */
export function createEvents({ recorder, monitor, graph, faults, batchMs = 150 }: EventsOptions): Events {
  const clients = new Set<Response>();
  let pending: Call[] = [];
  let flushing: NodeJS.Timeout | undefined;

  const send = (res: Response, event: string, data: unknown) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const broadcast = (event: string, data: unknown) => {
    for (const res of clients) send(res, event, data);
  };

  const flush = () => {
    flushing = undefined;
    const calls = pending;
    pending = [];
    broadcast('calls', calls);
    broadcast('graph', graph());
  };
  recorder.subscribe((call) => {
    if (clients.size === 0) return;
    if (pending.length < MAX_BATCH) pending.push(call);
    flushing ??= setTimeout(flush, batchMs);
  });

  // Every call a fault hits changes its count: as with the calls, a page hears of it at most once per batch.
  let faultsDue: NodeJS.Timeout | undefined;
  const unwatchFaults = faults?.subscribe(() => {
    if (clients.size === 0) return;
    faultsDue ??= setTimeout(() => {
      faultsDue = undefined;
      broadcast('faults', faults.list());
    }, batchMs);
  });

  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  return {
    async stream(req, res) {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write('retry: 1000\n\n');
      send(res, 'graph', graph());
      if (faults) send(res, 'faults', faults.list());
      const known = await monitor.states(Number.POSITIVE_INFINITY);
      if (known.length > 0) send(res, 'services', known);
      clients.add(res);
      const unwatch = monitor.watch((states) => send(res, 'services', states));
      req.on('close', () => {
        clients.delete(res);
        unwatch();
      });
    },
    async servicesChanged() {
      const states = await monitor.states(Number.POSITIVE_INFINITY);
      if (states.length > 0) broadcast('services', states);
    },
    town(happened) {
      broadcast('town', happened);
    },
    check(run) {
      broadcast('check', run);
    },
    cleared() {
      // Calls still waiting for their batch were recorded before the clear: the pages must not see them after it.
      pending = [];
      broadcast('cleared', {});
      broadcast('graph', graph());
    },
    close() {
      clearInterval(heartbeat);
      clearTimeout(flushing);
      clearTimeout(faultsDue);
      unwatchFaults?.();
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
