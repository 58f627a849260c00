import { GradeError } from './checks.js';

/** What a spec uses: stop a service (to see what the others do), start it again (to see what it kept). */
export interface Control {
  stop(name: string, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  start(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  /** What a service the grader started printed before it exited; undefined while it runs. */
  crash(name: string): Promise<string | undefined>;
}

export function controlClient(url: string | undefined): Control {
  const call = async (name: string, action: string) => {
    if (!url)
      throw new GradeError(`the grader did not start ${name}, so it cannot ${action.split('?')[0]} it`);
    const response = await fetch(`${url}/services/${name}/${action}`, { method: 'POST' });
    if (!response.ok) throw new GradeError(((await response.json()) as { detail: string }).detail);
  };
  return {
    stop: (name, signal = 'SIGTERM') => call(name, `stop?signal=${signal}`),
    start: (name) => call(name, 'start'),
    async crash(name) {
      if (!url) return undefined;
      try {
        const response = await fetch(`${url}/services/${name}/crash`, { signal: AbortSignal.timeout(2000) });
        return ((await response.json()) as { said: string | null }).said ?? undefined;
      } catch {
        return undefined;
      }
    },
    async restart(name) {
      await call(name, 'stop?signal=SIGTERM');
      await call(name, 'start');
    },
  };
}

/** The services of this run, handed to Playwright's workers through the environment (GRADE_SERVICES). */
export type Targets = Record<string, { url: string; source: string; dataFile?: string; managed: boolean }>;
