import { type LoadResult, load, pool, type Slice } from './load.js';
import { type Server, startServer } from './spawn.js';
import type { Context } from './types.js';

export interface TargetSpec {
  /** Shown in progress lines and the details table. */
  label: string;
  /** A file in bench/servers/, started with `env`; or `start`, for a target of several processes. */
  script?: string;
  start?: () => Promise<Server>;
  env?: Record<string, string>;
  path: string;
  method?: 'GET' | 'POST' | 'PATCH';
  body?: string;
  /** Runs once the server listens, before any load: check it answers what the others answer. */
  check?: (server: Server) => Promise<void>;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/**
 * Measures targets side by side: starts every server (each in its own process), then loads them one at a time in
 * rounds, forward then backward (A B C, C B A), so a slow drift of a shared machine falls on all of them alike.
 * Each target gets `ctx.duration` seconds in all, split over the rounds. Servers are stopped whatever happens.
 */
export async function compare<const T extends readonly TargetSpec[]>(
  ctx: Context,
  specs: T,
): Promise<{ [K in keyof T]: LoadResult }> {
  const servers: Server[] = [];
  try {
    for (const spec of specs) {
      ctx.log(`  ${spec.label}: starting ${spec.script ? `bench/servers/${spec.script}` : 'its processes'}`);
      const server = spec.start
        ? await spec.start()
        : await startServer(spec.label, spec.script ?? '', spec.env);
      servers.push(server);
      await spec.check?.(server);
    }
    const slices = specs.map((): Slice[] => []);
    const { connections, warmup, rounds } = ctx;
    const duration = ctx.duration / rounds;
    for (let round = 0; round < rounds; round++) {
      const order = specs.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) {
        const spec = specs[i] as TargetSpec;
        const url = (servers[i] as Server).url + spec.path;
        ctx.log(
          `  ${spec.label}: round ${round + 1} of ${rounds}, ${spec.method ?? 'GET'} ${spec.path}, ` +
            `${connections} connections, ${warmup} s warm-up + ${fmt(duration, 2)} s measured`,
        );
        const { label, method, body } = spec;
        const slice = await load({ label, method, body, url, connections, warmup, duration });
        slices[i]?.push(slice);
        const { rps, p50, p99 } = pool([slice]);
        ctx.log(`  ${label}: ${fmt(rps)} req/s, p50 ${fmt(p50, 2)} ms, p99 ${fmt(p99, 2)} ms`);
      }
    }
    return slices.map(pool) as { [K in keyof T]: LoadResult };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
