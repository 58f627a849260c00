import { StoreError } from './durable-json-file.js';
import { applyOps, Ids, isObject, type Op } from './journal-ops.js';

/**
 * In tests (NODE_ENV=test, or MICROTOWN_STORE_CHECK=1; MICROTOWN_STORE_CHECK=0 turns it off): replays every journal
 * line onto a copy of the data and compares it with the data in memory, so a change the store did not see (the
 * journal would lose it in a crash) fails the test that made it, naming where.
 */
export function storeCheck(file: string, raw: Record<string, unknown>, ids: Ids) {
  const setting = process.env.MICROTOWN_STORE_CHECK;
  if (setting === '0' || (setting !== '1' && process.env.NODE_ENV !== 'test')) return undefined;
  let mirror: Record<string, unknown>;
  let mirrorIds: Ids;
  const reset = () => {
    mirror = JSON.parse(JSON.stringify(raw));
    mirrorIds = new Ids();
    mirrorIds.indexAll(mirror);
    for (const [c, value] of Object.entries(raw)) {
      if (!Array.isArray(value)) continue;
      const copy = mirror[c] as unknown[];
      value.forEach((el, i) => {
        const loc = isObject(el) ? ids.locs.get(el) : undefined;
        if (loc) mirrorIds.locs.set(copy[i] as object, loc);
      });
      mirrorIds.next.set(c, ids.next.get(c) ?? value.length);
    }
  };
  reset();
  return {
    reset,
    /** Applies one line's ops (as written) to the copy and compares. */
    check(line: string) {
      applyOps(mirror, JSON.parse(line) as Op[], mirrorIds);
      const expected = JSON.parse(JSON.stringify(raw));
      const where = difference(mirror, expected, '');
      if (where !== undefined) {
        reset();
        throw new StoreError(
          `${file}: ${where || 'the data'} changed without the store seeing it, so a crash would lose it. Change ` +
            'records through `data` inside store.update, or through the objects the store gave you',
        );
      }
    },
  };
}

function difference(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const at = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const found = difference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], at);
    if (found !== undefined) return found;
  }
  return undefined;
}
