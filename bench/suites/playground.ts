import { isDeepStrictEqual } from 'node:util';
import { compare } from '../measure.js';
import type { Server } from '../spawn.js';
import { BenchError, type Suite } from '../types.js';

const U1 = { id: 'u1', name: 'Santanu', email: 'santanu@example.com' };

/** Direct and proxied must answer the same JSON, or the comparison means nothing. */
async function answersU1(server: Server, path: string) {
  const response = await fetch(`${server.url}${path}`);
  const body = await response.json().catch(() => undefined);
  if (response.status !== 200 || !isDeepStrictEqual(body, U1)) {
    throw new BenchError(`${server.name}: GET ${path} answered ${response.status} ${JSON.stringify(body)}`);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

/** p50 of one request at a time: the latency the proxy adds when nothing queues. */
async function unloadedP50(url: string, requests: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await (await fetch(url)).arrayBuffer();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export const playground: Suite = {
  name: 'playground',
  title: 'GET /users/u1 on the user service: through the playground (GET /svc/user/users/u1) vs direct',
  async run(ctx) {
    // The proxy is started second, so it can be pointed at the user service the first target started.
    const proxyEnv: Record<string, string> = {};
    const unloaded = { direct: Number.NaN, proxied: Number.NaN };
    const [direct, proxied] = await compare(ctx, [
      {
        label: 'direct',
        script: 'user-service.ts',
        env: { DATA_FILE: `${ctx.tmp}/user.json` },
        path: '/users/u1',
        check: async (server) => {
          await answersU1(server, '/users/u1');
          proxyEnv.USER_SERVICE_URL = server.url;
        },
      },
      {
        label: 'proxied',
        script: 'playground.ts',
        env: proxyEnv,
        path: '/svc/user/users/u1',
        check: async (server) => {
          await answersU1(server, '/svc/user/users/u1');
          // Both servers are up and nothing loads them yet: the moment for the unloaded latency, one request
          // at a time, direct and proxied in alternating slices so both see the same machine.
          const slices = { direct: [] as number[], proxied: [] as number[] };
          const requests = ctx.duration >= 5 ? 500 : 100;
          for (let slice = 0; slice < 4; slice++) {
            slices.direct.push(await unloadedP50(`${proxyEnv.USER_SERVICE_URL}/users/u1`, requests));
            slices.proxied.push(await unloadedP50(`${server.url}/svc/user/users/u1`, requests));
          }
          unloaded.direct = median(slices.direct);
          unloaded.proxied = median(slices.proxied);
        },
      },
    ]);

    const rate = (label: string, value: number) => ({ label, value, unit: 'req/s' });
    const ms = (label: string, value: number) => ({ label, value, unit: 'ms' });
    return {
      rows: [
        {
          name: 'GET /users/u1: proxied vs direct throughput',
          measured: rate('proxied', proxied.rps),
          baseline: rate('direct', direct.rps),
          target: { on: 'ratio', op: '>=', value: 0.6 },
        },
        {
          name: 'GET /users/u1: p50 added by the proxy, unloaded',
          measured: ms('proxied - direct', unloaded.proxied - unloaded.direct),
          target: { on: 'measured', op: '<=', value: 0.5 },
        },
      ],
      measurements: [
        {
          ...direct,
          label: `direct (user service; unloaded p50 ${unloaded.direct.toFixed(2)} ms)`,
          unit: 'req/s',
        },
        {
          ...proxied,
          label: `proxied (playground, recorder on; unloaded p50 ${unloaded.proxied.toFixed(2)} ms)`,
          unit: 'req/s',
        },
      ],
    };
  },
};
