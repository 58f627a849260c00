/**
 * A mistake of the person at the keyboard (a bad argument, a port in use, a data file of the wrong shape), not a
 * bug: every microtown command prints its message as one line, without a stack trace, and exits non-zero. Each
 * part names its own kind (`GeneratorError`, `GradeError`, `StoreError`, ...) by extending this one.
 */
export class UserMistake extends Error {
  override name = 'UserMistake';
}
