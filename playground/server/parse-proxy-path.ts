import { SERVICE_NAME } from '@microtown/kit/town';

export interface ProxyPath {
  service: string;
  /** What the service receives: always starts with `/`, query string kept. */
  path: string;
}

// Dot segments and encoded separators never reach a service: each could make the target's router or a proxy in
// front of it see another path than the one the playground checked and recorded.
const UNSAFE = /%2f|%5c|%00|\\|(^|\/)(\.|%2e){1,2}(\/|$)/i;

/**
 * Splits a raw request target `/svc/<service>/<path>?<query>` without decoding it. Anything else (absolute URLs,
 * encoded names, dot segments, `//host` paths) is `undefined`: the caller answers 404.
 */
export function parseProxyPath(rawUrl: string | undefined): ProxyPath | undefined {
  if (!rawUrl?.startsWith('/svc/')) return undefined;
  const rest = rawUrl.slice('/svc/'.length);
  const end = rest.search(/[/?]/);
  const service = end === -1 ? rest : rest.slice(0, end);
  if (!SERVICE_NAME.test(service)) return undefined;
  let path = end === -1 ? '/' : rest.slice(end);
  if (path.startsWith('?')) path = `/${path}`;
  const pathname = path.split('?', 1)[0] as string;
  if (pathname.startsWith('//') || UNSAFE.test(pathname) || path.includes('#')) return undefined;
  return { service, path };
}
