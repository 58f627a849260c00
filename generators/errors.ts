/** A refusal the user can fix: the CLI prints its message as one line and exits non-zero, without a stack. */
export class GeneratorError extends Error {
  override name = 'GeneratorError';
}
