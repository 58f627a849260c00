import {
  type FromPlayground,
  LOG_LEVELS,
  type LogEntry,
  type LogLevel,
  type ToPlayground,
  type TownEvent,
} from '@microtown/kit/town';

/** Lines kept per service: enough to scroll back over a few minutes of clicking, bounded however busy it gets. */
const KEPT_LINES = 1000;
const RESET_MS = 60_000;

type StateEvent = Extract<TownEvent, { type: 'state' }>;

/** The channel to `npm start`: Node's IPC (`process`), or none when the playground runs alone. */
export interface Channel {
  send?(message: FromPlayground): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface LogFilter {
  service?: string;
  /** This level and louder. */
  level?: LogLevel;
  limit?: number;
}

/** What `npm start` tells the playground of its services: their logs, their reloads and crashes. */
export interface Workbench {
  /** Whether `npm start` runs the services (reload on save, logs, reset), or the playground runs alone. */
  readonly supervised: boolean;
  logs(filter?: LogFilter): LogEntry[];
  /** The last state of each service `npm start` runs. */
  states(): StateEvent[];
  subscribe(listener: (events: TownEvent[]) => void): () => void;
  /** Asks `npm start` to put these services' data back to their seed; undefined when it does not run them. */
  reset?: (services: string[]) => Promise<void>;
}

/** Connects to the `npm start` that runs this playground, if one does; tells it the playground is ready. */
export function connectWorkbench(channel: Channel | undefined): Workbench {
  const lines = new Map<string, LogEntry[]>();
  const states = new Map<string, StateEvent>();
  const listeners = new Set<(events: TownEvent[]) => void>();
  const waiting = new Map<number, (error?: Error) => void>();
  let nextId = 1;

  const take = (events: TownEvent[]) => {
    for (const event of events) {
      if (event.type === 'state') states.set(event.service, event);
      if (event.type !== 'log') continue;
      const kept = lines.get(event.entry.service) ?? [];
      kept.push(event.entry);
      if (kept.length > KEPT_LINES) kept.splice(0, kept.length - KEPT_LINES);
      lines.set(event.entry.service, kept);
    }
    for (const listener of listeners) listener(events);
  };

  const send = channel?.send?.bind(channel);
  channel?.on('message', (raw) => {
    const message = raw as ToPlayground;
    if (message.type === 'events') take(message.events);
    if (message.type === 'done') {
      const settle = waiting.get(message.id);
      waiting.delete(message.id);
      settle?.(message.error ? new Error(message.error) : undefined);
    }
  });
  send?.({ type: 'ready' });

  return {
    supervised: Boolean(send),
    logs({ service, level = 'debug', limit = 200 } = {}) {
      const floor = LOG_LEVELS.indexOf(level);
      const all = service ? (lines.get(service) ?? []) : [...lines.values()].flat();
      const loud = all.filter((entry) => LOG_LEVELS.indexOf(entry.level) >= floor);
      if (!service) loud.sort((a, b) => a.time.localeCompare(b.time));
      return loud.slice(-limit);
    },
    states: () => [...states.values()],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset: send
      ? (services) =>
          new Promise<void>((resolve, reject) => {
            const id = nextId++;
            const timer = setTimeout(() => {
              waiting.delete(id);
              reject(new Error(`npm start did not reset ${services.join(', ')} within a minute`));
            }, RESET_MS);
            const settle = (error?: Error) => {
              clearTimeout(timer);
              if (error) reject(error);
              else resolve();
            };
            waiting.set(id, settle);
            send({ type: 'reset', id, services });
          })
      : undefined,
  };
}
