import { PROBE_HEADER } from '@microtown/kit';
import type { Registry, Service } from './registry.js';
import type { Switch, Switches } from './switches.js';

/** What the page shows for one service. */
export interface ServiceState {
  name: string;
  url: string;
  port: number;
  /** Whether `GET /health` answered just now, 2xx or a 404 of a service without it (straight, not through the switches). */
  health: 'up' | 'down';
  switch: Switch;
  /** Records per list route, e.g. `{ users: 3 }`, from `GET /users?limit=1` -> `count`. */
  records: Record<string, number | null>;
  /** Expected calls, from the manifest. */
  calls: string[];
  checked_at: string;
}

export interface Monitor {
  /** The last states, probed again first if older than `maxAgeMs`. */
  states(maxAgeMs?: number): Promise<ServiceState[]>;
  /** Probes every `intervalMs` while something listens; returns a function that stops listening. */
  watch(listener: (states: ServiceState[]) => void): () => void;
  close(): void;
}

/** A probe of the playground's own: marked, so that the services log it at debug and it never floods their logs. */
const probe = (url: string, timeoutMs: number) =>
  fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { [PROBE_HEADER]: '1' } });

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const response = await probe(url, timeoutMs);
  if (!response.ok) throw new Error(`${response.status}`);
  return response.json();
}

/**
 * Whether a service is up: `/health` answers 2xx, or 404 from a service that has no such route (a learner's own,
 * which the grader asks only to listen). A 5xx, or no answer in time, is down.
 */
async function answersHealth(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await probe(url, timeoutMs);
    await response.body?.cancel();
    return response.ok || response.status === 404;
  } catch {
    return false;
  }
}

/** Health and record counts of every service, probed only while the page (or a caller) wants them. */
export function createMonitor(registry: Registry, switches: Switches, intervalMs = 1000): Monitor {
  let last: ServiceState[] = [];
  let lastAt = 0;
  let probing: Promise<ServiceState[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const listeners = new Set<(states: ServiceState[]) => void>();
  // A busy machine answers late: a probe waits longer than the interval before it calls a service down.
  const timeoutMs = Math.max(1000, Math.min(intervalMs, 2000));

  const probeOne = async (service: Service): Promise<ServiceState> => {
    const up = await answersHealth(`${service.url}/health`, timeoutMs);
    const records: Record<string, number | null> = {};
    await Promise.all(
      service.lists.map(async (list) => {
        const body = up ? await getJson(`${service.url}/${list}?limit=1`, timeoutMs).catch(() => null) : null;
        const count = (body as { count?: unknown } | null)?.count;
        records[list] = typeof count === 'number' ? count : null;
      }),
    );
    return {
      name: service.name,
      url: service.url,
      port: service.port,
      health: up ? 'up' : 'down',
      switch: switches.get(service.name),
      records,
      calls: service.calls,
      checked_at: new Date().toISOString(),
    };
  };

  const probe = () => {
    probing ??= Promise.all([...registry.values()].map(probeOne)).then((states) => {
      last = states;
      lastAt = Date.now();
      probing = undefined;
      for (const listener of listeners) listener(states);
      return states;
    });
    return probing;
  };

  let running = false;
  let wake: (() => void) | undefined;
  const loop = async () => {
    running = true;
    while (listeners.size > 0) {
      await probe();
      if (listeners.size === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, intervalMs);
      });
    }
    running = false;
  };
  const stop = () => {
    clearTimeout(timer);
    wake?.();
  };

  return {
    async states(maxAgeMs = intervalMs) {
      if (Date.now() - lastAt <= maxAgeMs) {
        return last.map((s) => ({ ...s, switch: switches.get(s.name) }));
      }
      return probe();
    },
    watch(listener) {
      listeners.add(listener);
      if (!running) void loop();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    close() {
      listeners.clear();
      stop();
    },
  };
}
