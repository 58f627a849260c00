import { connect } from 'node:net';

export interface SlowUpload {
  /** The answer, or status 0 when the connection closed without one. */
  done: Promise<{ status: number; body: string }>;
  settled(): boolean;
  stop(): void;
}

/** A POST on a raw socket that declares `declared` bytes of body and sends one every `everyMs`, until answered. */
export function slowUpload(base: string, path: string, declared: number, everyMs: number): SlowUpload {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  let timer: NodeJS.Timeout | undefined;
  let received = '';
  let settled = false;
  socket.on('connect', () => {
    const head = `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\ncontent-type: application/json\r\n`;
    socket.write(`${head}Content-Length: ${declared}\r\n\r\n`);
    let sent = 0;
    timer = setInterval(() => {
      if (sent++ < declared) socket.write(' ', () => undefined);
    }, everyMs);
  });
  socket.on('data', (chunk) => {
    received += chunk.toString();
  });
  socket.on('error', () => undefined);
  const done = new Promise<{ status: number; body: string }>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      settled = true;
      const [head = '', body = ''] = received.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1] ?? 0), body });
    }),
  );
  return {
    done,
    settled: () => settled,
    stop() {
      clearInterval(timer);
      socket.destroy();
    },
  };
}
