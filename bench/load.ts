import autocannon from 'autocannon';
import { BenchError } from './types.js';

export interface LoadOptions {
  /** Names the target in messages. */
  label: string;
  url: string;
  method?: 'GET' | 'POST' | 'PATCH';
  body?: string;
  connections: number;
  /** Seconds, not counted. */
  warmup: number;
  /** Seconds measured. */
  duration: number;
}

export interface LoadResult {
  /** Successful (2xx) responses per second over the measured period. */
  rps: number;
  /** Latency percentiles in ms, from every measured response (sub-millisecond precision). */
  p50: number;
  p99: number;
  /** 2xx responses over warm-up and measurement: what the server acknowledged. */
  acknowledged: number;
}

export interface Run {
  ok: number;
  seconds: number;
  latencies: number[];
}

/** One autocannon run; any error, timeout or non-2xx answer makes the figure meaningless, so it throws. */
function fire(options: LoadOptions, seconds: number): Promise<Run> {
  const latencies: number[] = [];
  const headers = options.body ? { 'content-type': 'application/json' } : {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: options.method ?? 'GET',
        headers,
        body: options.body,
        connections: options.connections,
        duration: seconds,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(new BenchError(`${options.label}: ${error.message ?? error}`));
        const failed = result.errors + result.timeouts + result.non2xx;
        if (failed > 0 || result['2xx'] === 0) {
          const codes = Object.keys(result.statusCodeStats ?? {}).join(', ') || 'none';
          return reject(
            new BenchError(
              `${options.label}: ${failed} of ${result.requests.total} requests failed ` +
                `(errors ${result.errors}, timeouts ${result.timeouts}, status codes: ${codes}) at ${options.url}`,
            ),
          );
        }
        resolve({ ok: result['2xx'], seconds: result.duration, latencies });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/** One measured slice of one target, and what the server acknowledged over it, warm-up included. */
export type Slice = Run & { acknowledged: number };

/** A warm-up run (its answers count as acknowledged, not as measured), then the measured run. */
export async function load(options: LoadOptions): Promise<Slice> {
  const warm = options.warmup > 0 ? await fire(options, options.warmup) : { ok: 0 };
  const run = await fire(options, options.duration);
  return { ...run, acknowledged: warm.ok + run.ok };
}

/** Several measured runs of one target, pooled: total 2xx over total time, percentiles over every response. */
export function pool(runs: Slice[]): LoadResult {
  const sum = (f: (r: Slice) => number) => runs.reduce((total, r) => total + f(r), 0);
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort();
  return {
    rps: sum((r) => r.ok) / sum((r) => r.seconds),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    acknowledged: sum((r) => r.acknowledged),
  };
}
