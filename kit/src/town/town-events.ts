/** How loud a line is: pino's levels by name; a line that is not JSON is info on stdout and error on stderr. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One line a service printed, read once by `npm start` and shown alike in the terminal and the playground. */
export interface LogEntry {
  service: string;
  /** ISO time the line was written (pino's `time`), or read when the line has none. */
  time: string;
  level: LogLevel;
  /** The message: pino's `msg`, or the whole line when it is not JSON. */
  text: string;
  /** A request line's fields, as the kit's `traceAndLog` writes them. */
  method?: string;
  path?: string;
  status?: number;
  duration_ms?: number;
  trace_id?: string;
  /** Set when the line was the service's JSON log; a plain line is shown as it was printed. */
  structured?: true;
}

const PINO_LEVELS: [number, LogLevel][] = [
  [50, 'error'],
  [40, 'warn'],
  [30, 'info'],
  [0, 'debug'],
];

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const number = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** Reads one line of a service's output: a pino JSON line, or anything else it printed (crash output too). */
export function parseLogLine(service: string, line: string, stream: 'stdout' | 'stderr'): LogEntry {
  let json: Record<string, unknown> | undefined;
  if (line.startsWith('{')) {
    try {
      json = JSON.parse(line);
    } catch {
      // Not JSON after all: shown as printed.
    }
  }
  if (!json || typeof json !== 'object') {
    return {
      service,
      time: new Date().toISOString(),
      level: stream === 'stderr' ? 'error' : 'info',
      text: line,
    };
  }
  const level = number(json.level) ?? 30;
  const time = number(json.time);
  const entry: LogEntry = {
    service,
    time: new Date(time ?? Date.now()).toISOString(),
    level: PINO_LEVELS.find(([floor]) => level >= floor)?.[1] ?? 'info',
    text: text(json.msg) ?? '',
    method: text(json.method),
    path: text(json.path),
    status: number(json.status),
    duration_ms: number(json.duration_ms),
    trace_id: text(json.trace_id),
    structured: true,
  };
  const error = json.err as { message?: unknown } | undefined;
  if (text(error?.message)) entry.text = `${entry.text}: ${error?.message}`.replace(/^: /, '');
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as unknown as LogEntry;
}

/**
 * `12:03:04 INFO  POST /users 201 3.2 ms trace 4bf92f35`: a JSON line as a learner reads it at a glance; a plain
 * line as it was printed.
 */
export function formatLogEntry(entry: LogEntry): string {
  if (!entry.structured) return entry.text;
  const time = entry.time.slice(11, 19);
  const level = entry.level.toUpperCase().padEnd(5);
  if (entry.method && entry.path) {
    const took = entry.duration_ms === undefined ? '' : ` ${entry.duration_ms} ms`;
    const trace = entry.trace_id ? ` trace ${entry.trace_id.slice(0, 8)}` : '';
    return `${time} ${level} ${entry.method} ${entry.path} ${entry.status ?? '-'}${took}${trace}`;
  }
  return `${time} ${level} ${entry.text}`;
}

/** What a service of the town is doing, as `npm start` sees it. */
export type ServiceState = 'starting' | 'up' | 'crashed' | 'stopped';

/** What `npm start` tells the terminal and the playground about the town's services. */
export type TownEvent =
  /** `line` is the line as the service printed it. */
  | { type: 'log'; entry: LogEntry; line: string }
  | {
      type: 'state';
      service: string;
      state: ServiceState;
      /** The saved files that restarted it, relative to its folder: `src/routes/users.ts`, or `user.ts, http.ts`. */
      file?: string;
      /** Why it is down: the error line of its output. */
      reason?: string;
      at: string;
    }
  /** A service made while the town runs (`npm run generate service`): the playground proxies it from now on. */
  | {
      type: 'service';
      service: string;
      url: string;
      calls: string[];
      lists: string[];
      dataFile: string;
      at: string;
    };

/**
 * What `npm start` and the playground it runs say to each other over Node's IPC channel: the town's events one way
 * (the recent ones again whenever the playground says it is ready), requests to reset services' data the other.
 */
export type ToPlayground =
  | { type: 'events'; events: TownEvent[] }
  | { type: 'done'; id: number; error?: string };
export type FromPlayground = { type: 'ready' } | { type: 'reset'; id: number; services: string[] };
