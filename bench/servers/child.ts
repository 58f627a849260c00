import type { Server } from 'node:http';
import { stopOnSignal } from '@microtown/kit/town';

/** The line a server prints once it listens; the bench reads the port from it. */
export const READY = 'BENCH_READY';

/** Tells the bench which port this server got (it listens on port 0). */
export function ready(server: Server): void {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server is not listening on a TCP port');
  console.log(`${READY} ${address.port}`);
}

/** Runs `close` on SIGTERM/SIGINT, then exits; a stuck close does not keep the process alive. */
export const onStop = (close: () => Promise<void>): void => {
  stopOnSignal(close, 4000);
};

/** If the bench dies without stopping us (kill -9), we are re-parented: exit rather than hold the port. */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 1000).unref();

/** The data file the bench prepared for this server. */
export function dataFile(): string {
  const file = process.env.DATA_FILE;
  if (!file) throw new Error('DATA_FILE is not set');
  return file;
}
