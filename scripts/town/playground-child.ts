import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { FromPlayground, Launch, ToPlayground } from '@microtown/kit/town';
import { endChild, killGroup, spawnLaunch } from './process.js';

export interface PlaygroundChild {
  send(message: ToPlayground): void;
  /** Resolves once it has exited (it is restarted unless stopping). */
  stop(): Promise<void>;
  /** Kills it at once, synchronously, for an `exit` handler. */
  kill(): void;
  /** Whether it has exited and will not be started again (it could not start). */
  gone(): boolean;
}

export interface PlaygroundChildOptions {
  print(line: string): void;
  onMessage(message: FromPlayground): void;
  /** Told when it exits by itself, and when it is started again. */
  onRestart(line: string): void;
}

const RESTART_MS = 1000;
/** One that exits sooner than this after it started cannot start (port in use, a bad setting): it stays down. */
const RAN_MS = 5000;

/**
 * The playground under `npm start`, with an IPC channel to it: the town's events go to it, its reset requests come
 * back. If it crashes once running, it is started again (the services reach each other through it), once a second at most.
 */
export function runPlayground(launch: Launch, options: PlaygroundChildOptions): PlaygroundChild {
  let child: ChildProcess | undefined;
  let stopping = false;
  let gaveUp = false;
  let exited = Promise.resolve();

  const start = () => {
    const startedAt = Date.now();
    const started = spawnLaunch(launch, { ipc: true });
    child = started;
    for (const source of [started.stdout, started.stderr]) {
      if (source) createInterface({ input: source }).on('line', options.print);
    }
    started.on('message', (message) => options.onMessage(message as FromPlayground));
    exited = new Promise((resolve) =>
      started.once('exit', (code, signal) => {
        resolve();
        if (stopping || child !== started) return;
        if (Date.now() - startedAt < RAN_MS) {
          gaveUp = true;
          return;
        }
        options.onRestart(`the playground stopped (${signal ?? `exit code ${code}`}); starting it again`);
        setTimeout(() => {
          if (!stopping) start();
        }, RESTART_MS).unref();
      }),
    );
  };
  start();

  return {
    send(message) {
      if (child?.connected) child.send(message, () => undefined);
    },
    async stop() {
      stopping = true;
      await endChild(child);
      await exited;
    },
    kill() {
      stopping = true;
      killGroup(child);
    },
    gone: () => gaveUp,
  };
}
