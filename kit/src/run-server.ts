import type { RequestListener } from 'node:http';
import { closeServer, serve } from './serve.js';
import { UserMistake } from './town/mistake.js';
import { stopOnSignal } from './town/stop-signal.js';

/** Something a service holds open until it stops: its store, a client of another service. */
export interface Closable {
  close(): Promise<void> | void;
}

export interface ServerSetup {
  /** The Express app (or any request listener). */
  app: RequestListener;
  /** Where to listen: the service's settings, `PORT` and `HOST` (127.0.0.1 when left out). */
  settings: { PORT: number; HOST?: string };
  /**
   * Closed one after the other once the server stopped: what still sends first, the store last. An entry that is a
   * set of closables (a service's clients, `deps`) has each of its values closed.
   */
  close?: (Closable | Record<string, Closable>)[];
}

/**
 * The body of every service's `server.ts`: set up, listen, print where, stop cleanly on Ctrl-C or SIGTERM.
 * A user mistake (bad setting, corrupt data file, port taken) is one line on stderr and exit code 1.
 */
export async function runServer(name: string, setup: () => Promise<ServerSetup>): Promise<void> {
  try {
    const { app, settings, close = [] } = await setup();
    const { server, url } = await serve(app, settings.PORT, settings.HOST);
    console.log(`${name} service listening on ${url} (docs: ${url}/docs)`);
    // Requests still under way get 3 s.
    stopOnSignal(async () => {
      await closeServer(server);
      for (const held of close) {
        for (const one of typeof held.close === 'function' ? [held as Closable] : Object.values(held))
          await one.close();
      }
    }, 3000);
  } catch (error) {
    const known = error instanceof UserMistake;
    console.error(known ? `${name} service: ${(error as Error).message}` : error);
    process.exit(1);
  }
}
