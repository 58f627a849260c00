import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { BenchError } from './types.js';

/** Whether a server could listen on 127.0.0.1:`port` right now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first port the OS hands out on its own (to port 0 and outgoing connections). */
function ephemeralStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32768;
  }
}

/**
 * An offset that moves every one of `ports` to a free port between 10,000 and the ephemeral range, where nothing
 * that asks for port 0 (tests, the bench's own servers) can take it while the town starts.
 */
export async function freeOffset(ports: number[]): Promise<number> {
  const low = 10_000 - Math.min(...ports);
  const high = ephemeralStart() - 1 - Math.max(...ports);
  for (let tries = 0; tries < 100; tries++) {
    const offset = low + 10 * Math.floor((Math.random() * (high - low)) / 10);
    const free = await Promise.all(ports.map((port) => portFree(port + offset)));
    if (free.every(Boolean)) return offset;
  }
  throw new BenchError(`no free block of ports ${ports.join(', ')} + offset below ${ephemeralStart()}`);
}

/** Waits until every port is free again, or throws naming the ones still taken. */
export async function portsFreed(ports: number[], ms = 5000): Promise<void> {
  let taken: number[] = [];
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    taken = [];
    for (const port of ports) if (!(await portFree(port))) taken.push(port);
    if (taken.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new BenchError(`port(s) ${taken.join(', ')} still in use after the town stopped`);
}
