/** A problem the user can fix (a manifest, a flag): the CLI prints its message as one line and exits non-zero. */
export class ComposeError extends Error {
  override name = 'ComposeError';
}
