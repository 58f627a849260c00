/** A problem the user can fix (a manifest, a flag): the CLI prints its message as one line and exits non-zero. */
import { UserMistake } from '@microtown/kit/town';

export class ComposeError extends UserMistake {
  override name = 'ComposeError';
}
