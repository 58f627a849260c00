/**
 * A mistake of the person at the keyboard (a bad argument, a port in use, a data file of the wrong shape), not a
 * bug: every microtown command prints its message as one line, without a stack trace, and exits non-zero. Each
 * part names its own kind (`GeneratorError`, `GradeError`, `StoreError`, ...) by extending this one.
 */
export class UserMistake extends Error {
  override name = 'UserMistake';
}

/**
 * The one line a command prints when it fails: `error: <message>` for a user mistake; for anything else the same
 * line and how to see where, or, with MICROTOWN_DEBUG set, the error thrown on with its stack.
 */
export function failureLine(error: unknown): string {
  if (error instanceof UserMistake) return `error: ${error.message}`;
  if (process.env.MICROTOWN_DEBUG) throw error;
  return `error: ${(error as Error).message} (MICROTOWN_DEBUG=1 shows where)`;
}
