import type { ServerResponse } from 'node:http';

/** FastAPI's error shape, `{"detail": ...}`, written without Express (the proxy path does not go through it). */
export function answer(res: ServerResponse, status: number, detail: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ detail });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
