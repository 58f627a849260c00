import type { Call, Fault, FaultSpec, Graph } from '@microtown/playground';
import { type APIRequestContext, test as base } from '@playwright/test';
import { fail, GradeError, NoAnswerError, type Reply, show } from './checks.js';
import { type Control, controlClient, type Targets } from './control.js';
import { loadExercise } from './exercise.js';

export type { Call, FaultSpec } from '@microtown/playground';
export { expect } from '@playwright/test';
export * from './checks.js';
export type { Control } from './control.js';
export { filesWith } from './files.js';

/** What `npm run grade` hands the specs: the exercise, the implementation graded, the services and their URLs. */
const exercise = loadExercise(process.env.GRADE_EXERCISE ?? fail('run the grading specs with npm run grade'));
export const implementationDir = process.env.GRADE_IMPL ?? exercise.dir;
export const targets: Targets = JSON.parse(process.env.GRADE_SERVICES ?? '{}');
/** The learner's services that the implementation does not start: their tasks score 0, "not submitted". */
const missing: Record<string, string> = JSON.parse(process.env.GRADE_MISSING ?? '{}');
/** Each answer has this long, whoever started the service; a late one is waited for a little, to say how late. */
const ANSWER_MS = exercise.config.answerSeconds * 1000;
const GRACE_MS = 3000;

/** Calls to one service; a service that does not answer is a hint, not a stack trace. */
export interface Api {
  readonly url: string;
  call(
    method: string,
    path: string,
    options?: { json?: unknown; headers?: Record<string, string> },
  ): Promise<Reply>;
  get(path: string): Promise<Reply>;
  post(path: string, json?: unknown): Promise<Reply>;
}

function api(name: string, request: APIRequestContext, town: Control): Api {
  const target = targets[name] ?? fail(missing[name] ?? `the exercise has no service "${name}"`);
  const call: Api['call'] = (method, path, options = {}) =>
    test.step(`${method} ${path} (${name})`, async () => {
      const label = `${method} ${path}`;
      const curl = curlLine(method, target.url + path, options);
      const started = performance.now();
      try {
        // Redirects are followed as fetch and `curl -L` do: FastAPI's `/users/` answers `/users` with a 307.
        const response = await request.fetch(target.url + path, {
          method,
          data: options.json,
          headers: options.headers,
          timeout: ANSWER_MS + GRACE_MS,
          failOnStatusCode: false,
          maxRedirects: 5,
        });
        const text = await response.text();
        const took = performance.now() - started;
        if (took > ANSWER_MS) {
          throw new NoAnswerError(
            `${name} answered ${label} after ${(took / 1000).toFixed(1)} s; each answer has ${ANSWER_MS / 1000} s`,
          );
        }
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : '';
        } catch {
          // Not JSON: the hint shows the text.
        }
        return { label, status: response.status(), body, headers: response.headers(), curl };
      } catch (error) {
        if (error instanceof GradeError) throw error;
        const crashed = await town.crash(name);
        throw new NoAnswerError(
          `${name} did not answer ${label}: ${reason(error as Error, target.url)}${crashed ? `; ${crashed}` : ''} (to repeat it: ${curl})`,
        );
      }
    });
  return {
    url: target.url,
    call,
    get: (path) => call('GET', path),
    post: (path, json) => call('POST', path, { json }),
  };
}

/** `curl -i -X POST http://... -H 'content-type: application/json' -d '{...}'` */
function curlLine(
  method: string,
  url: string,
  options: { json?: unknown; headers?: Record<string, string> },
) {
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  const parts = ['curl', '-i', '-L'];
  if (method !== 'GET') parts.push('-X', method);
  parts.push(quote(url));
  for (const [key, value] of Object.entries(options.headers ?? {}))
    parts.push('-H', quote(`${key}: ${value}`));
  if (options.json !== undefined) {
    parts.push('-H', quote('content-type: application/json'), '-d', quote(show(options.json, 400)));
  }
  return parts.join(' ');
}

function reason(error: Error, url: string): string {
  const message = error.message;
  if (/ECONNREFUSED/.test(message)) return `connection refused at ${url} (is it running?)`;
  if (/Timeout|timed out/i.test(message))
    return `no answer within ${(ANSWER_MS + GRACE_MS) / 1000} s (each answer has ${ANSWER_MS / 1000} s)`;
  if (/socket hang up|ECONNRESET/.test(message))
    return 'the connection closed without an answer (did it crash?)';
  return show(message.split('\n')[0], 200);
}

/** What the playground recorded (exercises with `"playground"` in exercise.json). */
export interface Recording {
  readonly url: string;
  graph(): Promise<Graph>;
  /** Calls, oldest first: `calls({ callee: 'inventory' })`. */
  calls(query?: { caller?: string; callee?: string }): Promise<Call[]>;
  /** Sets a fault in the playground's fault lab (`POST /api/faults`), as the page does: `fault({ kind: 'hang', to: 'user' })`. */
  fault(spec: FaultSpec): Promise<Fault>;
  /** The faults set, each with its hits: the calls it failed, delayed, held or cut. */
  faults(): Promise<Fault[]>;
  /** Clears every fault (`DELETE /api/faults`). */
  clearFaults(): Promise<void>;
}

function recording(): Recording {
  const url =
    process.env.GRADE_PLAYGROUND ||
    fail('exercise.json does not ask for the playground ("playground": true)');
  const read = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(url + path, { ...init, signal: AbortSignal.timeout(5000) });
    const body = response.status === 204 ? undefined : await response.json();
    if (!response.ok)
      throw new Error(`the playground refused ${init.method ?? 'GET'} ${path}: ${show(body, 300)}`);
    return body;
  };
  return {
    url,
    graph: () => read('/api/graph') as Promise<Graph>,
    calls: async (query = {}) => {
      const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined));
      return ((await read(`/api/calls?limit=10000&${search}`)) as { data: Call[] }).data;
    },
    fault: (spec) =>
      read('/api/faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(spec),
      }) as Promise<Fault>,
    faults: async () => ((await read('/api/faults')) as { data: Fault[] }).data,
    clearFaults: async () => {
      await read('/api/faults', { method: 'DELETE' });
    },
  };
}

/**
 * `test` with the grading fixtures: `api('user')` calls a service, `town` stops and starts the services the grader
 * runs, `playground` reads what the playground recorded.
 */
export const test = base.extend<{
  api: (name: string) => Api;
  town: Control;
  playground: Recording;
  callsMeanwhile: undefined;
}>({
  api: async ({ request, town }, use) => use((name) => api(name, request, town)),
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a fixture needs from this pattern
  town: async ({}, use) => use(controlClient(process.env.GRADE_CONTROL || undefined)),
  // biome-ignore lint/correctness/noEmptyPattern: as above
  playground: async ({}, use) => use(recording()),
  // A failed check of an exercise that records calls says what the learner's services asked the others meanwhile,
  // and what each answered: the reporter adds it to the hint.
  callsMeanwhile: [
    // biome-ignore lint/correctness/noEmptyPattern: as above
    async ({}, use, testInfo) => {
      const since = Date.now();
      await use(undefined);
      if (testInfo.status === testInfo.expectedStatus || !process.env.GRADE_PLAYGROUND) return;
      const own = new Set(exercise.config.services);
      try {
        const calls = (await recording().calls()).filter(
          (c) => c.caller && own.has(c.caller) && Date.parse(c.time) >= since - 50,
        );
        if (calls.length === 0) return;
        const shown = calls
          .slice(-6)
          .map((c) => `${c.method} ${c.path} on ${c.callee} -> ${c.status || 'no answer'}`);
        const more = calls.length > 6 ? ` (the last 6 of ${calls.length})` : '';
        testInfo.annotations.push({ type: 'calls', description: `${shown.join(', ')}${more}` });
      } catch {
        // The playground is gone: the hint stays as it is.
      }
    },
    { auto: true },
  ],
});

/**
 * The tests of task `id` (its title and points are in exercise.json): `task(1, () => { test(...) })`. A task whose
 * service was not submitted gets one failing test that says so, and its own checks do not run.
 */
export function task(id: number, body: () => void): void {
  const entry = exercise.config.tasks[id - 1] ?? fail(`exercise.json has no task ${id}`);
  const absent = (entry.services ?? exercise.config.services).filter((name) => missing[name]);
  const checks = absent.length
    ? () => test('not submitted', () => fail(absent.map((name) => missing[name]).join('; ')))
    : body;
  // biome-ignore lint/correctness/usePlaywrightValidDescribeCallback: the callback is the spec's, passed through
  test.describe(`${id}. ${entry.title}`, { annotation: { type: 'task', description: String(id) } }, checks);
}

/** A name no earlier test used, so that checks never depend on each other's data. */
export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Reads until `done` says so or `ms` pass, every `every` ms; the last value read either way. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 10_000,
  every = 200,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, every));
    value = await read();
  }
  return value;
}
