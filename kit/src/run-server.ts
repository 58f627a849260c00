import type { RequestListener } from 'node:http';
import { closeServer, serve } from './serve.js';
import { UserMistake } from './town/mistake.js';

export interface ServerSetup {
  /** The Express app (or any request listener). */
  app: RequestListener;
  port: number;
  host?: string;
  /** Runs after the server stopped: flush the store, close clients. */
  close?: () => Promise<void>;
}

/**
 * The body of every service's `server.ts`: set up, listen, print where, stop cleanly on Ctrl-C or SIGTERM.
 * A user mistake (bad setting, corrupt data file, port taken) is one line on stderr and exit code 1.
 */
export async function runServer(name: string, setup: () => Promise<ServerSetup>): Promise<void> {
  try {
    const { app, port, host, close } = await setup();
    const { server, url } = await serve(app, port, host);
    console.log(`${name} service listening on ${url} (docs: ${url}/docs)`);
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      // Requests still under way get a moment; a stuck client does not keep the process alive.
      setTimeout(() => process.exit(0), 3000).unref();
      await closeServer(server);
      await close?.();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    const known = error instanceof UserMistake;
    console.error(known ? `${name} service: ${(error as Error).message}` : error);
    process.exit(1);
  }
}
