/** Where the town listens on one machine: the services on their manifests' ports, the playground here. */
export const HOST = '127.0.0.1';
export const PLAYGROUND_PORT = 4000;

/**
 * Ports the Fetch standard blocks (its "bad ports" above 1024): Node's `fetch` and every browser refuse to call them,
 * so a service there would run and yet show as DOWN and be unreachable from the page and the grader.
 */
export const BLOCKED_PORTS: ReadonlySet<number> = new Set([
  1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697,
  10080,
]);

/** Why a port cannot be used by the town (to follow "port 6000"), or undefined when it can. */
export const blockedPort = (port: number) =>
  BLOCKED_PORTS.has(port)
    ? "is one that browsers and Node's fetch refuse to call (the Fetch standard's bad ports); pick another, e.g. 4105"
    : undefined;
