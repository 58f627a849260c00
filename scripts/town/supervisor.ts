import type { ChildProcess } from 'node:child_process';
import { relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { crashLine, type Launch, parseLogLine, type ServiceState, type TownEvent } from '@microtown/kit/town';
import { type FSWatcher, watch } from 'chokidar';
import { untilHealthy } from '../health.js';
import { endChild, killGroup, spawnLaunch } from './process.js';

export interface Supervised<L extends Launch = Launch> {
  readonly launch: L;
  state(): ServiceState;
  /** Starts it and resolves once it answers HTTP (true), or has exited or not answered in time (false). */
  start(timeoutMs?: number): Promise<boolean>;
  /** Ends its whole process group. */
  stop(): Promise<void>;
  /** Stops it, runs `meanwhile` (e.g. removes its data file), starts it again. */
  restart(file?: string, meanwhile?: () => Promise<void>): Promise<boolean>;
  close(): Promise<void>;
  /** Kills its process group at once, synchronously: for an `exit` handler, when there is no time for `stop()`. */
  kill(): void;
}

export interface SuperviseOptions {
  /** Restart the service when a file of its folder is saved (default true). */
  watch?: boolean;
  onEvent(event: TownEvent): void;
  /** Which saved files (relative to its folder) restart it; by default every source file. */
  reloadsOn?: (file: string) => boolean;
  /** How long a (re)start may take to answer `/health`. */
  startTimeoutMs?: number;
}

/** Source files whose save restarts a service; data files, journals and locks change as it runs, and never do. */
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|json|py)$/;
const IGNORED_DIRS = new Set(['node_modules', 'data', 'dist', '.git', '__pycache__', 'grade-report']);
/** Saves come in bursts (an editor writes, then renames; a formatter follows): one restart per burst. */
const DEBOUNCE_MS = 150;
const OUTPUT_KEPT = 64 * 1024;

/**
 * Runs one service of the town in its own process group, reads its output line by line (each line an event), and
 * restarts it alone when one of its files is saved. A service that crashes stays down until the next save.
 */
export function supervise<L extends Launch>(launch: L, options: SuperviseOptions): Supervised<L> {
  const { onEvent, startTimeoutMs = 20_000 } = options;
  let child: ChildProcess | undefined;
  let state: ServiceState = 'stopped';
  let output = '';
  let closed = false;
  // Restarts run one after the other; a save during one restarts it once more after.
  let queue: Promise<unknown> = Promise.resolve();

  const emit = (next: ServiceState, extra: { file?: string; reason?: string } = {}) => {
    state = next;
    onEvent({ type: 'state', service: launch.name, state: next, ...extra, at: new Date().toISOString() });
  };

  const spawnIt = () => {
    output = '';
    const started = spawnLaunch(launch);
    for (const [stream, source] of [
      ['stdout', started.stdout],
      ['stderr', started.stderr],
    ] as const) {
      if (!source) continue;
      createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
        output = `${output}${line}\n`.slice(-OUTPUT_KEPT);
        if (line.trim()) onEvent({ type: 'log', entry: parseLogLine(launch.name, line, stream), line });
      });
    }
    started.once('exit', () => {
      if (child !== started) return;
      child = undefined;
      // Its last lines arrive after 'exit' at times: read the reason once the streams are done.
      setTimeout(() => {
        if (state === 'up' || state === 'starting') emit('crashed', { reason: crashLine(output) });
      }, 50);
    });
    child = started;
    return started;
  };

  const start = async (timeoutMs = startTimeoutMs, file?: string) => {
    if (closed) return false;
    emit('starting', file ? { file } : {});
    const started = spawnIt();
    const exited = () => started.exitCode !== null || started.signalCode !== null;
    // Up once it answers: a learner's service need not have /health (the grader asks only that it listens).
    const up = await untilHealthy(`${launch.url}/health`, Date.now() + timeoutMs, exited, 100, {
      anyAnswer: true,
    });
    if (child !== started) return false;
    if (up) emit('up', file ? { file } : {});
    else if (exited()) {
      // Give the exit handler's reason a moment; then report it here, once.
      await new Promise((resolve) => setTimeout(resolve, 60));
      if (state === 'starting') emit('crashed', { reason: crashLine(output) });
    } else emit('crashed', { reason: `not answering on ${launch.url} after ${timeoutMs / 1000} s` });
    return up;
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    await endChild(running);
    if (state !== 'crashed') emit('stopped');
  };

  const restart = (file?: string, meanwhile?: () => Promise<void>) => {
    const next = queue.then(async () => {
      await stop();
      await meanwhile?.();
      return start(startTimeoutMs, file);
    });
    queue = next.catch(() => undefined);
    return next;
  };

  let watcher: FSWatcher | undefined;
  if (options.watch ?? true) {
    let timer: NodeJS.Timeout | undefined;
    // The files of one burst of saves, in the order they changed: `user.ts, http.ts`.
    const changed = new Set<string>();
    watcher = watch(launch.cwd, {
      ignoreInitial: true,
      ignored: (path, stats) => {
        const parts = relative(launch.cwd, path).split(sep);
        if (parts.some((part) => IGNORED_DIRS.has(part))) return true;
        return Boolean(stats?.isFile()) && !SOURCE.test(path);
      },
    });
    watcher.on('all', (event, path) => {
      if (!['add', 'change', 'unlink'].includes(event) || !SOURCE.test(path)) return;
      const file = relative(launch.cwd, path);
      if (options.reloadsOn && !options.reloadsOn(file)) return;
      changed.add(file);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const files = [...changed].join(', ');
        changed.clear();
        void restart(files);
      }, DEBOUNCE_MS);
    });
  }

  return {
    launch,
    state: () => state,
    start: (timeoutMs) => {
      const next = queue.then(() => start(timeoutMs));
      queue = next.catch(() => undefined);
      return next;
    },
    stop: () => {
      const next = queue.then(stop);
      queue = next.catch(() => undefined);
      return next;
    },
    restart,
    async close() {
      closed = true;
      await watcher?.close();
      await queue;
      await stop();
    },
    kill: () => killGroup(child),
  };
}
