import { StoreError } from './durable-json-file.js';

const FIX = 'fix it or move it away: microtown never resets a data file';

const kind = (value: unknown) =>
  Array.isArray(value)
    ? 'a list'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;

/**
 * Checks a data file's shape against the store's defaults, the shape a new file gets: each collection a list of
 * records (objects), each record-of-values an object. A file of another service (none of this one's collections, some
 * of its own) is refused too. One line naming the file and the first bad path, before the service listens.
 */
export function checkShape(file: string, found: Record<string, unknown>, defaults: object): void {
  const expected = Object.entries(defaults);
  const ours = expected.filter(([key, value]) => Array.isArray(value) && key in found);
  const collections = expected.filter(([, value]) => Array.isArray(value)).map(([key]) => key);
  const theirs = Object.keys(found).filter((key) => !(key in defaults) && Array.isArray(found[key]));
  if (collections.length > 0 && ours.length === 0 && theirs.length > 0) {
    throw new StoreError(
      `${file} holds ${theirs.join(', ')}, not ${collections.join(', ')}: is it another service's data file? ${FIX}`,
    );
  }
  for (const [key, value] of expected) {
    if (!(key in found)) continue;
    const actual = found[key];
    if (Array.isArray(value)) {
      if (!Array.isArray(actual))
        throw new StoreError(`${file}: ${key} is ${kind(actual)}, not a list of records; ${FIX}`);
      const bad = actual.findIndex((record) => kind(record) !== 'an object');
      if (bad >= 0)
        throw new StoreError(`${file}: ${key}[${bad}] is ${kind(actual[bad])}, not a record; ${FIX}`);
    } else if (kind(value) === 'an object' && kind(actual) !== 'an object') {
      throw new StoreError(`${file}: ${key} is ${kind(actual)}, not an object; ${FIX}`);
    }
  }
}
