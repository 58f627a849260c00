import { parseArgs } from 'node:util';
import { GradeError } from './checks.js';
import type { Exercise } from './exercise.js';
import { type HintLevel, isHintLevel } from './score.js';

export const USAGE = `usage: npm run grade -- <exercise> [--url <service>=<baseURL> ...] [--impl <folder>] [--out <dir>]
                         [--hints full|brief|none]
  <exercise>   01, or its folder name (01-user-and-inventory)
  --url        grade the service running there, in any language (e.g. --url user=http://127.0.0.1:8001);
               without it the grader starts the implementation itself, on free ports, and stops it afterwards
  --impl       the implementation to start: a folder with implementation.json (default: the one exercise.json names)
  --out        where the reports go (default grade-report/): results.json, gradescope.json, junit.xml, html/
  --exercises  the folder of exercise folders (default exercises/)
  --hints      how much the hints tell: full (default; what was sent, what came back, what was expected, a curl
               line), brief (what was sent and what came back) or none (which check failed)
  --teacher    let "town" in implementation.json stand for a learner's service (to check the grader itself)`;

export interface Options {
  exercise: string;
  urls: Map<string, string>;
  impl?: string;
  out: string;
  exercises?: string;
  /** "town" may stand for a learner's service. */
  teacher: boolean;
  hints: HintLevel;
  help: boolean;
}

/** The command line, checked; a mistake is a `GradeError` with one line. */
export function readArgs(argv: string[]): Options {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    const option = /'(-[^']*)'/.exec((error as Error).message)?.[1];
    const what =
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option ${option}`
        : (error as Error).message.split('\n')[0];
    throw new GradeError(`${what} (npm run grade -- --help)`);
  }
  const { values, positionals } = parsed;
  const [exercise, extra] = positionals;
  if (values.help)
    return { exercise: '', urls: new Map(), out: '', teacher: false, hints: 'full', help: true };
  if (exercise === undefined) throw new GradeError('name the exercise to grade, e.g. npm run grade -- 01');
  if (extra !== undefined) throw new GradeError(`unexpected argument "${extra}" (one exercise at a time)`);
  const urls = new Map<string, string>();
  for (const entry of values.url ?? []) {
    const [name, url] = splitUrl(entry);
    if (urls.has(name)) throw new GradeError(`--url ${name}=... is given twice`);
    urls.set(name, url);
  }
  return {
    exercise,
    urls,
    impl: values.impl,
    out: values.out ?? 'grade-report',
    exercises: values.exercises,
    teacher: values.teacher ?? false,
    hints: hintLevel(values.hints),
    help: false,
  };
}

const parse = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string', multiple: true },
      impl: { type: 'string' },
      out: { type: 'string' },
      exercises: { type: 'string' },
      teacher: { type: 'boolean' },
      hints: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

/** A `--hints` value, checked: full (the default), brief or none. */
export function hintLevel(value = 'full'): HintLevel {
  if (isHintLevel(value)) return value;
  throw new GradeError(`--hints ${value}: say full, brief or none`);
}

/** `user=http://127.0.0.1:8001/` -> ['user', 'http://127.0.0.1:8001'] */
function splitUrl(entry: string): [string, string] {
  const at = entry.indexOf('=');
  const name = entry.slice(0, at);
  const raw = entry.slice(at + 1);
  if (at < 1 || !raw)
    throw new GradeError(`--url ${entry}: write it as <service>=<baseURL>, e.g. user=http://127.0.0.1:8001`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GradeError(`--url ${entry}: "${raw}" is not a URL, e.g. http://127.0.0.1:8001`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GradeError(`--url ${entry}: use an http:// or https:// URL`);
  }
  if (url.search || url.hash) throw new GradeError(`--url ${entry}: give the base URL only, without ? or #`);
  return [name, raw.replace(/\/+$/, '')];
}

/** The names `--url` may use for this exercise, and whether it takes any at all. */
export function checkUrls(urls: Map<string, string>, exercise: Exercise): void {
  const { services, startsServices } = exercise.config;
  const [first] = urls.keys();
  if (first === undefined) return;
  if (services.length === 0)
    throw new GradeError(`exercise ${exercise.folder} grades files, not services: drop --url`);
  if (startsServices) {
    throw new GradeError(
      `exercise ${exercise.folder} starts ${services.join(', ')} itself (it points them at services it controls): drop --url and name the command in implementation.json`,
    );
  }
  for (const name of urls.keys()) {
    if (!services.includes(name)) {
      throw new GradeError(
        `--url ${name}=...: exercise ${exercise.folder} grades ${services.join(' and ')}, not "${name}"`,
      );
    }
  }
}

/** Something answers HTTP at each URL (any status will do); one line for the first that does not. */
export async function checkReachable(urls: Map<string, string>): Promise<void> {
  await Promise.all(
    [...urls].map(async ([name, url]) => {
      try {
        await fetch(url, { signal: AbortSignal.timeout(3000), redirect: 'manual' });
      } catch (error) {
        const { name: kind, cause } = error as { name: string; cause?: { code?: string; message?: string } };
        const why =
          cause?.code === 'ECONNREFUSED'
            ? 'connection refused'
            : kind === 'TimeoutError'
              ? 'no answer within 3 s'
              : (cause?.code ?? cause?.message ?? (error as Error).message);
        throw new GradeError(`--url ${name}=${url}: nothing answers there (${why}); is the service running?`);
      }
    }),
  );
}
