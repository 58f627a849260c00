import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { endGroup } from '@microtown/kit/testing';
import { PLAYGROUND_PORT, readServices } from '@microtown/kit/town';
import { freeOffset, portsFreed } from '../ports.js';
import { spawnTracked } from '../spawn.js';
import { BenchError, type Measurement, type Suite } from '../types.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The playground's port in scripts/start.ts; the services' ports come from their manifests. */
const TIMEOUT_MS = 30_000;
const BUILDING = 'building the page (vite)';

interface Start {
  /** ms from spawning `npm start` to the first 2xx from each /health. */
  each: number[];
  all: number;
  /** ms from SIGTERM to the group until none of its processes is left. */
  stop: number;
  stoppedBy: string;
  built: boolean;
}

/** `npm start` as a user types it, in its own process group; timed until every URL answers, then stopped. */
async function startOnce(env: Record<string, string | undefined>, urls: string[]): Promise<Start> {
  const started = performance.now();
  const town = spawnTracked('npm', ['start'], { env });
  const pgid = town.process.pid as number;
  let output = '';
  let built = false;
  town.process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-4000);
    built ||= output.includes(BUILDING);
  });
  let cancelled = false;
  const firstAnswer = async (url: string) => {
    while (!cancelled && performance.now() - started < TIMEOUT_MS) {
      if (town.process.exitCode !== null || town.process.signalCode !== null) {
        const last = output.trim().split('\n').at(-1) ?? '';
        throw new BenchError(`npm start exited before ${url} answered: ${town.reason()} ${last}`.trim());
      }
      const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (response) => response.arrayBuffer().then(() => response.ok),
        () => false,
      );
      if (ok) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new BenchError(`npm start: ${url} did not answer within ${TIMEOUT_MS / 1000} s`);
  };
  let each: number[];
  try {
    each = await Promise.all(urls.map(firstAnswer));
  } catch (error) {
    cancelled = true;
    await endGroup(pgid);
    throw error;
  }
  const stopping = performance.now();
  const stoppedBy = await endGroup(pgid);
  return { each, all: Math.max(...each), stop: performance.now() - stopping, stoppedBy, built };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[(values.length - 1) >> 1] ?? Number.NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function summary(label: string, times: number[], note?: string, unit = 'starts/min'): Measurement {
  const p50 = median(times);
  return { label, unit, rps: 60_000 / p50, p50, p99: Math.max(...times), ...(note ? { note } : {}) };
}

export const startup: Suite = {
  name: 'startup',
  title:
    'npm start, from spawn until the four services and the playground all answer /health; the page already built',
  async run(ctx) {
    const runs = Math.max(1, Math.min(5, Math.round(ctx.duration / 2)));
    const services = await readServices(ROOT);
    const names = ['playground', ...services.map((s) => s.name)];
    const base = [PLAYGROUND_PORT, ...services.map((s) => s.port)];
    const offset = await freeOffset(base);
    const ports = base.map((port) => port + offset);
    const urls = ports.map((port) => `http://127.0.0.1:${port}/health`);
    const dataDir = join(ctx.tmp, 'town-start');
    await mkdir(dataDir, { recursive: true });
    // A user's environment: request logs on (the bench's servers run with LOG_LEVEL=silent), no NODE_ENV.
    const env = {
      TOWN_PORT_OFFSET: String(offset),
      TOWN_DATA_DIR: dataDir,
      NODE_ENV: undefined,
      LOG_LEVEL: undefined,
    };
    ctx.log(`  ports ${ports.join(', ')} (TOWN_PORT_OFFSET=${offset}), data files in a temporary folder`);

    const timed = async (label: string) => {
      const start = await startOnce(env, urls);
      await portsFreed(ports);
      const last = names[start.each.indexOf(start.all)];
      ctx.log(
        `  ${label}: all ${names.length} answered in ${seconds(start.all)} (last: ${last})` +
          `${start.built ? ', page built with vite' : ''}; stopped by ${start.stoppedBy} in ` +
          `${Math.round(start.stop)} ms, no process left, ports free`,
      );
      return start;
    };
    // Not counted: builds playground/web/dist if missing or stale, and seeds the data files, as a first start does.
    await timed('warm-up start, not counted');
    const starts: Start[] = [];
    for (let i = 0; i < runs; i++) starts.push(await timed(`start ${i + 1} of ${runs}`));

    const rebuilt = starts.filter((s) => s.built).length;
    const note =
      `median of ${runs} after an uncounted warm-up start that builds the page if needed; data files kept` +
      (rebuilt ? `; vite rebuilt the page in ${rebuilt} counted start(s) (sources changed meanwhile)` : '');
    return {
      rows: [
        {
          name: `town start-up: npm start until all ${names.length} answer /health (median)`,
          measured: { label: 'npm start', value: median(starts.map((s) => s.all)) / 1000, unit: 's' },
          target: { on: 'measured', op: '<=', value: 3 },
        },
      ],
      measurements: [
        summary(
          `npm start until all ${names.length} answer /health`,
          starts.map((s) => s.all),
          note,
        ),
        ...names.map((name, i) =>
          summary(
            `${name} /health first answered`,
            starts.map((s) => s.each[i] ?? 0),
          ),
        ),
        summary(
          'stop: SIGTERM to the group until no process is left',
          starts.map((s) => s.stop),
          `ended by ${[...new Set(starts.map((s) => s.stoppedBy))].join(' or ')}; ports free again after each`,
          'stops/min',
        ),
      ],
    };
  },
};
