/**
 * What one journal line holds: the changes of one flush, as a JSON array of these. Records of a top-level array
 * are addressed by an id that is their position when the data file was last written, or a counter after that, so
 * a line costs what changed, not what is stored.
 */
export type Op =
  /** A top-level value, whole (`del`: removed). */
  | { k: string; v?: unknown; del?: 1 }
  /** An entry of a top-level object (`del`: removed). */
  | { c: string; k: string; v?: unknown; del?: 1 }
  /** The new value of one record of a top-level array. */
  | { c: string; id: number; v: unknown }
  /** `splice(at, rm, ...add)` on a top-level array. */
  | { c: string; at: number; rm: number; add: unknown[] };

export type Loc = { c: string; id: number } | { c: string; k: string };

export const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!isObject(v) || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Where each record lives, and the next id of each top-level array. Live store and replay number alike. */
export class Ids {
  readonly locs = new WeakMap<object, Loc>();
  readonly next = new Map<string, number>();

  /** Numbers every record by position, as a fresh read of the data file would. */
  indexAll(root: Record<string, unknown>): void {
    for (const key of Object.keys(root)) this.indexKey(root, key);
  }

  indexKey(root: Record<string, unknown>, c: string): void {
    const value = root[c];
    if (Array.isArray(value)) {
      value.forEach((el, id) => {
        if (isObject(el)) this.locs.set(el, { c, id });
      });
      this.next.set(c, value.length);
    } else if (isPlainObject(value)) {
      this.next.delete(c);
      for (const [k, el] of Object.entries(value)) if (isObject(el)) this.locs.set(el, { c, k });
    } else {
      this.next.delete(c);
    }
  }

  /** Forgets the records of a top-level value about to be replaced. */
  forgetKey(root: Record<string, unknown>, c: string): void {
    const value = root[c];
    const els = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
    for (const el of els) if (isObject(el) && this.locs.get(el)?.c === c) this.locs.delete(el);
  }

  /** Gives ids to records added to array `c`; returns the previous counter. */
  add(c: string, els: unknown[]): number {
    const first = this.next.get(c) ?? 0;
    let id = first;
    for (const el of els) if (isObject(el)) this.locs.set(el, { c, id: id++ });
    this.next.set(c, id);
    return first;
  }
}

/** Applies one journal line's ops to plain data (replay at start, and the self-check in tests). */
export function applyOps(root: Record<string, unknown>, ops: Op[], ids: Ids): void {
  const byId = new Map<string, Map<number, object>>();
  const record = (c: string, id: number) => {
    let index = byId.get(c);
    if (!index) {
      index = new Map();
      for (const el of root[c] as unknown[]) {
        const loc = isObject(el) ? ids.locs.get(el) : undefined;
        if (loc && 'id' in loc) index.set(loc.id, el as object);
      }
      byId.set(c, index);
    }
    return index.get(id);
  };
  for (const op of ops) {
    if ('at' in op) {
      const list = root[op.c] as unknown[];
      const index = byId.get(op.c);
      for (const el of list.splice(op.at, op.rm, ...op.add)) {
        if (!isObject(el)) continue;
        const loc = ids.locs.get(el);
        if (loc && 'id' in loc) index?.delete(loc.id);
        ids.locs.delete(el);
      }
      let id = ids.add(op.c, op.add);
      if (index) for (const el of op.add) if (isObject(el)) index.set(id++, el);
    } else if ('id' in op) {
      const target = record(op.c, op.id);
      if (target) replaceContents(target, op.v);
    } else if ('c' in op) {
      const map = root[op.c] as Record<string, unknown>;
      if (op.del) delete map[op.k];
      else {
        map[op.k] = op.v;
        if (isObject(op.v)) ids.locs.set(op.v, { c: op.c, k: op.k });
      }
    } else {
      ids.forgetKey(root, op.k);
      byId.delete(op.k);
      if (op.del) delete root[op.k];
      else {
        root[op.k] = op.v;
        ids.indexKey(root, op.k);
      }
    }
  }
}

/** Gives `target` the contents of `value` in place, so its id and position stay. */
function replaceContents(target: object, value: unknown): void {
  if (Array.isArray(target)) {
    target.splice(0, target.length, ...(value as unknown[]));
    return;
  }
  const t = target as Record<string, unknown>;
  for (const key of Object.keys(t)) delete t[key];
  Object.assign(t, value);
}
