import { UserMistake } from '@microtown/kit/town';
/** What every suite gets: the timing options and a place for temporary files. */
export interface Context {
  /** Seconds measured per target in all (split over the rounds), after the warm-ups. */
  duration: number;
  /** Seconds of load before each measured slice, not counted. */
  warmup: number;
  /** Each target is measured in this many slices, in alternating order (A B C, C B A, ...). */
  rounds: number;
  /** Concurrent connections (and so concurrent requests) per target. */
  connections: number;
  /** URL of a running chapter FastAPI orders service to compare with (`--fastapi-orders`). */
  fastapiOrders?: string;
  /** A temporary folder for this run, removed at the end. */
  tmp: string;
  /** A progress line: what is being measured now. */
  log: (line: string) => void;
}

/** One measured value, e.g. `{ label: 'kit', value: 8123, unit: 'req/s' }`. */
export interface Figure {
  label: string;
  value: number;
  unit: string;
}

/** What "met" means for a row: the ratio (measured / baseline) or the measured value against a bound. */
export interface Target {
  on: 'ratio' | 'measured';
  op: '>=' | '<=';
  value: number;
}

/** One line of the final table: name | measured | baseline | ratio | target | met?. */
export interface Row {
  name: string;
  measured: Figure;
  baseline?: Figure;
  target?: Target;
}

/** The detail behind the rows: throughput and latency of one target. */
export interface Measurement {
  label: string;
  unit: string;
  rps: number;
  p50: number;
  p99: number;
  note?: string;
}

export interface SuiteResult {
  rows: Row[];
  measurements: Measurement[];
}

export interface Suite {
  /** Short name for `--only`. */
  name: string;
  /** One line saying what it compares. */
  title: string;
  run(ctx: Context): Promise<SuiteResult>;
}

/** Something could not be measured; the message is the one line the user sees. */
export class BenchError extends UserMistake {
  override name = 'BenchError';
}
