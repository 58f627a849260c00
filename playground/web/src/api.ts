import type { Explanation, Switch } from './types.js';

/** One answer as the console shows it. */
export interface Sent {
  status: number;
  statusText: string;
  ms: number;
  traceId: string | null;
  body: string;
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

/** Why a recorded call failed, and the fix; read when the page shows the call. */
export const explainCall = (id: number) => getJson<Explanation>(`/api/calls/${id}/explanation`);

/** Forgets every recorded call; every open page hears it as a `cleared` event. */
export async function clearCalls(): Promise<void> {
  const response = await fetch('/api/calls', { method: 'DELETE' });
  if (!response.ok) throw new Error(`clear calls: ${response.status} ${await response.text()}`);
}

export async function setSwitch(service: string, value: Switch): Promise<void> {
  const response = await fetch(`/api/switches/${encodeURIComponent(service)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  if (!response.ok) throw new Error(`switch ${service}: ${response.status} ${await response.text()}`);
}

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** A call through the proxy, as a learner would make it with curl: `/svc/<service><path>`. */
export async function send(service: string, method: string, path: string, body: string): Promise<Sent> {
  const started = performance.now();
  const hasBody = body.trim() !== '' && method !== 'GET';
  const response = await fetch(`/svc/${service}${path.startsWith('/') ? path : `/${path}`}`, {
    method,
    headers: hasBody ? { 'content-type': 'application/json' } : {},
    body: hasBody ? body : undefined,
  });
  const text = await response.text();
  return {
    status: response.status,
    statusText: response.statusText,
    ms: performance.now() - started,
    traceId: response.headers.get('x-trace-id'),
    body: pretty(text),
  };
}
