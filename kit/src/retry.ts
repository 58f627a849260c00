import { setTimeout as sleep } from 'node:timers/promises';

/** What one attempt gave: a value or the error it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface RetryOptions<T> {
  retries: number;
  backoffMs: number;
  /** Budget for all attempts and the waits between them. */
  deadlineMs: number;
  retryable: (outcome: Outcome<T>) => boolean;
}

/**
 * Runs `attempt` (given the time left) until its outcome is not retryable, the retries are spent, or the next wait
 * would overrun the deadline; then returns the last value or throws the last error.
 */
export async function retry<T>(
  attempt: (timeLeftMs: number) => Promise<T>,
  { retries, backoffMs, deadlineMs, retryable }: RetryOptions<T>,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let n = 0; ; n++) {
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: await attempt(deadline - Date.now()) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    // Jitter keeps callers that failed together from retrying in lockstep.
    const wait = backoffMs * 2 ** n * (1 + Math.random() * 0.2);
    if (n >= retries || Date.now() + wait >= deadline || !retryable(outcome)) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    await sleep(wait);
  }
}
