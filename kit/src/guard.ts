import type { IncomingMessage } from 'node:http';

/**
 * Hosts a service of the town answers to: loopback, and a name of one label (`user`, `playground`: the names
 * docker compose and Kubernetes give a service in its network) or a Kubernetes service name (`user.town.svc`,
 * `....svc.cluster.local`). A name with dots elsewhere is what a DNS-rebinding page uses to reach 127.0.0.1 from a
 * browser: refused. `ALLOWED_HOSTS` (comma-separated; `*` for any) adds more.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const ONE_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const KUBERNETES = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.svc(?:\.cluster\.local)?$/i;
/** Requests that read: a page of any site may send them, and learns nothing it could not (no cookies here). */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `host` without its port: `127.0.0.1:4001` -> `127.0.0.1`, `[::1]:4001` -> `[::1]`. */
const hostname = (host: string) =>
  (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]) ?? '';

// A service sees few distinct Host headers (its own name and port), so each verdict is remembered, per setting.
const verdicts = new Map<string, boolean>();
let verdictsFor: string | undefined;

// Read once at start, like a service's other settings (reading the environment costs each request a microsecond).
const ALLOWED_HOSTS = process.env.ALLOWED_HOSTS ?? '';

export function allowedHost(host: string, extra = ALLOWED_HOSTS): boolean {
  if (extra !== verdictsFor || verdicts.size > 1000) {
    verdicts.clear();
    verdictsFor = extra;
  }
  let allowed = verdicts.get(host);
  if (allowed === undefined) {
    allowed = judgeHost(host, extra);
    verdicts.set(host, allowed);
  }
  return allowed;
}

function judgeHost(host: string, extra: string): boolean {
  const name = hostname(host).toLowerCase();
  const added = extra
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (added.includes('*')) return true;
  return LOOPBACK.has(name) || ONE_LABEL.test(name) || KUBERNETES.test(name) || added.includes(name);
}

/**
 * Why a request is refused before any route sees it, or undefined: a Host this service is not reached by, or a
 * state-changing request sent by a page of another site (an `Origin` on a host it does not answer to, or, without
 * one, `Sec-Fetch-Site: cross-site`). curl, other services and the town's own pages send neither, and pass.
 */
export function refusal(req: IncomingMessage): string | undefined {
  const host = req.headers.host ?? '';
  if (!allowedHost(host)) {
    return `Host ${JSON.stringify(host)} is not a name this service is reached by (127.0.0.1, localhost, its compose or Kubernetes name); add it to ALLOWED_HOSTS if it is yours`;
  }
  if (SAFE.has(req.method ?? 'GET')) return undefined;
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  let originHost: string | undefined;
  try {
    originHost = origin && origin !== 'null' ? new URL(origin).host : undefined;
  } catch {
    originHost = undefined;
  }
  // A page on a host of the town (a learner's page on localhost:3000) may; a page of any other site may not.
  const foreign = origin ? origin === 'null' || !allowedHost(originHost ?? '') : site === 'cross-site';
  if (foreign) {
    return `cross-site ${req.method} refused: a page of ${origin ?? 'another site'} may not change this service's data (curl, other services and the town's pages may)`;
  }
  return undefined;
}
