import type { Server } from 'node:http';
import type { Express } from 'express';

/** The port a service wants is taken; the message names the service and the fix. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

export interface Listening {
  server: Server;
  url: string;
}

/** Listens on host:port (127.0.0.1 by default; port 0 picks a free one) and resolves once bound. */
export function serve(app: Express, port: number, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error & { code?: string }) => {
      if (error?.code === 'EADDRINUSE') {
        reject(
          new PortInUseError(`port ${port} on ${host} is already in use; stop what runs there or set PORT`),
        );
        return;
      }
      if (error) return reject(error);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({ server, url: `http://${host}:${bound}` });
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
