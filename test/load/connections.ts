import { connect, type Socket } from 'node:net';

export interface Answer {
  /** 0 when the connection closed without an answer. */
  status: number;
  body: string;
}

export interface HeldConnections {
  /** Sends one request on every connection at once; resolves with every answer, once each connection has closed. */
  ask(path: string): Promise<Answer[]>;
  close(): void;
}

/** Opens `count` TCP connections to `base` and resolves once every one is connected (or has failed, counted). */
export async function holdConnections(
  base: string,
  count: number,
): Promise<HeldConnections & { failed: number }> {
  const { hostname, port } = new URL(base);
  const sockets: Socket[] = [];
  let failed = 0;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const socket = connect(Number(port), hostname, () => resolve());
          socket.once('error', () => {
            failed++;
            resolve();
          });
          sockets.push(socket);
        }),
    ),
  );
  const open = sockets.filter((s) => !s.destroyed);
  return {
    failed,
    ask: (path) =>
      Promise.all(
        open.map(
          (socket) =>
            new Promise<Answer>((resolve) => {
              let received = '';
              socket.on('data', (chunk) => {
                received += chunk.toString();
              });
              socket.on('error', () => undefined);
              socket.once('close', () => {
                const [head = '', body = ''] = received.split('\r\n\r\n');
                resolve({ status: Number(head.split(' ')[1] ?? 0), body });
              });
              socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
            }),
        ),
      ),
    close() {
      for (const socket of sockets) socket.destroy();
    },
  };
}
