/** A refusal the user can fix: the CLI prints its message as one line and exits non-zero, without a stack. */
import { UserMistake } from '@microtown/kit/town';

export class GeneratorError extends UserMistake {
  override name = 'GeneratorError';
}
