import { createServer, type RequestListener, type Server } from 'node:http';
import { UserMistake } from './town/mistake.js';

/** The port a service wants is taken; the message names the service and the fix. */
export class PortInUseError extends UserMistake {
  override name = 'PortInUseError';
}

export interface Listening {
  server: Server;
  url: string;
}

/**
 * Listens on host:port (127.0.0.1 by default; port 0 picks a free one) and resolves once bound. `handler` is an
 * Express app, or any request listener.
 */
export function serve(handler: RequestListener, port: number, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    const fail = (error: Error & { code?: string }) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(`port ${port} on ${host} is already in use; stop what runs there or set PORT`)
          : error,
      );
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({ server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` });
    });
  });
}

/** Stops accepting, ends idle keep-alive connections and waits for requests under way. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
