import { inspect } from 'node:util';
import { Ids, isObject, isPlainObject, type Loc, type Op } from './journal-ops.js';

/** The changes of one flush, with what undoes them if the disk refuses them. */
export interface Batch {
  ops: Op[];
  undo: (() => void)[];
}

const targets = new WeakMap<object, object>(); // proxy -> the object it stands for
/** A record added by code that keeps its own reference: its fields are accessors, so writes through it are seen. */
const instrumented = new WeakMap<object, { tracker: Tracker; backing: Record<PropertyKey, unknown> }>();

export const unwrap = <V>(value: V): V => (isObject(value) ? ((targets.get(value) as V) ?? value) : value);
const has = (o: object, key: PropertyKey) => Object.hasOwn(o, key);
const isIndex = (key: string) => {
  const code = key.charCodeAt(0);
  return code >= 48 && code <= 57 && String(Number(key)) === key;
};
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice']);
const REORDERS = new Set(['sort', 'reverse', 'fill', 'copyWithin']);
/** Array methods that only read, run on the array itself with each record handed out as code gets it. */
const SEARCHES = new Set([
  'find',
  'findLast',
  'findIndex',
  'findLastIndex',
  'some',
  'every',
  'filter',
  'forEach',
  'map',
]);
type Callback = (el: unknown, i: number, list: unknown[]) => unknown;
type Search = (this: unknown[], cb: Callback) => unknown;

/**
 * Sees every change made to the data, so that a flush writes only what changed, and can undo it. Code gets a
 * proxy for each record it reads, or, for a record it added itself, that object with accessors, so each record has
 * one identity whichever way it was reached. Limit: deleting a field of a record through a reference kept from
 * before it was added (not through `data`) is not seen; the self-check in tests reports it.
 */
export class Tracker {
  readonly ids = new Ids();
  readonly data: Record<string, unknown>;
  #ops: Op[] = [];
  #undo: (() => void)[] = [];
  #dirty = new Set<object>();
  #proxies = new WeakMap<object, object>();
  #roots = new WeakMap<object, object>(); // nested object -> the record it belongs to

  constructor(readonly raw: Record<string, unknown>) {
    this.ids.indexAll(raw);
    this.data = this.#proxy(raw, this.#rootHandler());
  }

  get changed(): boolean {
    return this.#ops.length > 0 || this.#dirty.size > 0;
  }

  /** Takes what changed since the last call; the values are live, so serialise them at once. */
  take(): Batch {
    const ops = this.#ops;
    for (const rec of this.#dirty) {
      const loc = this.ids.locs.get(rec);
      if (loc && this.#isLive(loc, rec)) ops.push({ ...loc, v: rec } as Op);
    }
    const batch = { ops, undo: this.#undo };
    this.#ops = [];
    this.#undo = [];
    this.#dirty.clear();
    return batch;
  }

  /** A point to come back to with `undoTo` (when an update's function throws halfway). */
  mark(): { ops: number; undo: number } {
    return { ops: this.#ops.length, undo: this.#undo.length };
  }

  undoTo(mark: { ops: number; undo: number }): void {
    for (let i = this.#undo.length - 1; i >= mark.undo; i--) this.#undo[i]?.();
    this.#undo.length = mark.undo;
    this.#ops.length = mark.ops;
  }

  /** Undoes what has not been taken yet, then the given batches, newest first. */
  rollback(batches: Batch[]): void {
    for (const batch of [...batches, this.take()].reverse()) {
      for (let i = batch.undo.length - 1; i >= 0; i--) batch.undo[i]?.();
    }
  }

  /** Numbers every record by position again, as the data file about to be written will be read back. */
  reindex(): void {
    this.ids.indexAll(this.raw);
  }

  #isLive(loc: Loc, rec: object): boolean {
    if ('k' in loc) return (this.raw[loc.c] as Record<string, unknown> | undefined)?.[loc.k] === rec;
    return true; // records leave `locs` when they leave their array
  }

  #proxy<O extends object>(target: O, handler: ProxyHandler<O>): O {
    let proxy = this.#proxies.get(target) as O | undefined;
    if (!proxy) {
      proxy = new Proxy(target, handler);
      this.#proxies.set(target, proxy);
      targets.set(proxy, target);
    }
    return proxy;
  }

  #remember(target: object, key: PropertyKey): void {
    const t = target as Record<PropertyKey, unknown>;
    const had = has(t, key);
    const old = t[key];
    this.#undo.push(() => {
      if (had) t[key] = old;
      else delete t[key];
    });
  }

  /** A record or a value inside one, as code gets it. */
  #handle(value: unknown, root: object | undefined): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const known = this.#proxies.get(value);
    if (known) return known;
    if (targets.has(value) || instrumented.has(value)) return value;
    if (!Array.isArray(value) && !isPlainObject(value)) return value;
    if (!this.#roots.has(value)) this.#roots.set(value, root ?? value);
    return this.#proxy(value, this.#recordHandler);
  }

  readonly #recordHandler: ProxyHandler<object> = {
    get: (target, key) => {
      const value = Reflect.get(target, key);
      // Reading a field is most of what a service does: a primitive needs no proxy, and no lookup.
      return typeof value === 'object' && value !== null
        ? this.#handle(value, this.#roots.get(target))
        : value;
    },
    set: (target, key, value) => {
      this.#touch(this.#roots.get(target) ?? target);
      this.#remember(target, key);
      return Reflect.set(target, key, unwrap(value));
    },
    deleteProperty: (target, key) => {
      this.#touch(this.#roots.get(target) ?? target);
      this.#remember(target, key);
      return Reflect.deleteProperty(target, key);
    },
    defineProperty: (target, key, descriptor) => {
      this.#touch(this.#roots.get(target) ?? target);
      this.#remember(target, key);
      return Reflect.defineProperty(target, key, descriptor);
    },
  };

  touch(rec: object, undo: () => void): void {
    this.#touch(rec);
    this.#undo.push(undo);
  }

  #touch(rec: object): void {
    this.#dirty.add(rec);
  }

  /** A record that enters the data: code may keep its own reference to it, so writes through that are seen too. */
  #adopt(value: unknown): void {
    if (!isPlainObject(value) || targets.has(value) || instrumented.has(value) || this.#proxies.has(value))
      return;
    const backing: Record<PropertyKey, unknown> = {};
    for (const key of Object.keys(value)) {
      backing[key] = unwrap(value[key]);
      Object.defineProperty(value, key, accessor(key));
    }
    instrumented.set(value, { tracker: this, backing });
    Object.defineProperty(value, inspect.custom, { value: showBacking });
    if (Object.getPrototypeOf(value) === Object.prototype) Object.setPrototypeOf(value, ADDING);
  }

  handleIn(value: unknown, rec: object): unknown {
    return this.#handle(value, rec);
  }

  #rootHandler(): ProxyHandler<Record<string, unknown>> {
    return {
      get: (target, key) => {
        const value = target[key as string];
        if (typeof key !== 'string') return value;
        if (typeof value !== 'object' || value === null) return value;
        const known = this.#proxies.get(value);
        if (known) return known;
        if (Array.isArray(value)) return this.#proxy(value, this.#listHandler(key));
        if (isPlainObject(value)) return this.#proxy(value, this.#mapHandler(key));
        return value;
      },
      set: (target, key, value) => {
        if (typeof key !== 'string') return Reflect.set(target, key, value);
        this.#replaceTop(key, () => {
          const v = unwrap(value);
          target[key] = Array.isArray(v) ? v.map(unwrap) : v;
        });
        return true;
      },
      deleteProperty: (target, key) => {
        if (typeof key !== 'string') return Reflect.deleteProperty(target, key);
        this.#replaceTop(key, () => delete target[key]);
        return true;
      },
    };
  }

  /** A top-level value changes whole: it is written whole, and its records numbered afresh. */
  #replaceTop(key: string, change: () => void): void {
    const raw = this.raw;
    const had = has(raw, key);
    const old = raw[key];
    const oldList = Array.isArray(old) ? [...old] : undefined;
    const oldNext = this.ids.next.get(key);
    this.ids.forgetKey(raw, key);
    change();
    const now = raw[key];
    const added = Array.isArray(now) ? now : isPlainObject(now) ? Object.values(now) : [];
    for (const el of added) this.#adopt(el);
    this.ids.indexKey(raw, key);
    this.#ops.push(has(raw, key) ? { k: key, v: now } : { k: key, del: 1 });
    this.#undo.push(() => {
      this.ids.forgetKey(raw, key);
      if (oldList && Array.isArray(old)) old.splice(0, old.length, ...oldList);
      if (had) raw[key] = old;
      else delete raw[key];
      this.ids.indexKey(raw, key);
      if (oldNext !== undefined) this.ids.next.set(key, oldNext);
    });
  }

  #listHandler(c: string): ProxyHandler<unknown[]> {
    return {
      get: (target, key) => {
        if (typeof key === 'string') {
          if (isIndex(key)) return this.#handle(target[key as unknown as number], undefined);
          if (MUTATORS.has(key)) return (...args: unknown[]) => this.#splice(c, target, key, args);
          // One trap per record instead of one per index read: `things.find(t => t.id === id)` is every read route.
          if (SEARCHES.has(key)) return this.#search(target, key);
          if (REORDERS.has(key)) {
            return (...args: unknown[]) => {
              this.#replaceTop(c, () => (target[key as 'sort'] as (...a: unknown[]) => unknown)(...args));
              return this.data[c];
            };
          }
        }
        return Reflect.get(target, key);
      },
      set: (target, key, value) => {
        const i = typeof key === 'string' && isIndex(key) ? Number(key) : -1;
        if (i >= 0 && i < target.length) this.#splice(c, target, 'splice', [i, 1, value]);
        else this.#replaceTop(c, () => Reflect.set(target, key, unwrap(value)));
        return true;
      },
      deleteProperty: (target, key) => {
        this.#replaceTop(c, () => Reflect.deleteProperty(target, key));
        return true;
      },
    };
  }

  #search(list: unknown[], method: string): (cb: Callback, self?: unknown) => unknown {
    return (cb, self) => {
      const proxy = this.#proxies.get(list) as unknown[];
      const native = list[method as 'find'] as Search;
      const found = native.call(list, (el, i) => cb.call(self, this.#handle(el, undefined), i, proxy));
      if (method === 'find' || method === 'findLast') return this.#handle(found, undefined);
      if (method === 'filter') return (found as unknown[]).map((el) => this.#handle(el, undefined));
      return found;
    };
  }

  #splice(c: string, list: unknown[], method: string, args: unknown[]): unknown {
    const len = list.length;
    let at = 0;
    let rm = 0;
    let add: unknown[] = [];
    if (method === 'push') [at, add] = [len, args];
    else if (method === 'unshift') add = args;
    else if (method === 'pop') [at, rm] = [Math.max(len - 1, 0), len > 0 ? 1 : 0];
    else if (method === 'shift') rm = len > 0 ? 1 : 0;
    else {
      const start = Math.trunc(Number(args[0])) || 0;
      at = start < 0 ? Math.max(len + start, 0) : Math.min(start, len);
      rm = args.length < 2 ? len - at : Math.min(Math.max(Math.trunc(Number(args[1])) || 0, 0), len - at);
      add = args.slice(2);
    }
    add = add.map(unwrap);
    const removed = list.splice(at, rm, ...add);
    const oldLocs = removed.map((el) => (isObject(el) ? this.ids.locs.get(el) : undefined));
    for (const el of removed) if (isObject(el)) this.ids.locs.delete(el);
    for (const el of add) this.#adopt(el);
    const oldNext = this.ids.add(c, add);
    this.#ops.push({ c, at, rm, add });
    this.#undo.push(() => {
      list.splice(at, add.length, ...removed);
      for (const el of add) if (isObject(el)) this.ids.locs.delete(el);
      removed.forEach((el, i) => {
        const loc = oldLocs[i];
        if (isObject(el) && loc) this.ids.locs.set(el, loc);
      });
      this.ids.next.set(c, oldNext);
    });
    const handles = removed.map((el) => this.#handle(el, undefined));
    if (method === 'pop' || method === 'shift') return handles[0];
    if (method === 'push' || method === 'unshift') return list.length;
    return handles;
  }

  #mapHandler(c: string): ProxyHandler<Record<string, unknown>> {
    return {
      get: (target, key) => {
        const value = Reflect.get(target, key);
        return typeof key === 'string' && has(target, key) ? this.#handle(value, undefined) : value;
      },
      set: (target, key, value) => {
        if (typeof key !== 'string') return Reflect.set(target, key, value);
        this.#entry(c, target, key, () => {
          target[key] = unwrap(value);
        });
        return true;
      },
      deleteProperty: (target, key) => {
        if (typeof key !== 'string') return Reflect.deleteProperty(target, key);
        this.#entry(c, target, key, () => delete target[key]);
        return true;
      },
    };
  }

  #entry(c: string, map: Record<string, unknown>, k: string, change: () => void): void {
    this.#remember(map, k);
    change();
    const v = map[k];
    if (isObject(v)) {
      this.#adopt(v);
      this.ids.locs.set(v, { c, k });
    }
    this.#ops.push(has(map, k) ? { c, k, v } : { c, k, del: 1 });
  }
}

const accessors = new Map<PropertyKey, PropertyDescriptor>();
function accessor(key: PropertyKey): PropertyDescriptor {
  let descriptor = accessors.get(key);
  if (!descriptor) {
    descriptor = {
      enumerable: true,
      configurable: true,
      get(this: object) {
        const state = instrumented.get(this);
        return state ? state.tracker.handleIn(state.backing[key], this) : undefined;
      },
      set(this: object, value: unknown) {
        const state = instrumented.get(this);
        if (!state) return;
        const { backing } = state;
        const had = has(backing, key);
        const old = backing[key];
        state.tracker.touch(this, () => {
          if (had) backing[key] = old;
          else {
            delete backing[key];
            delete (this as Record<PropertyKey, unknown>)[key];
          }
        });
        backing[key] = unwrap(value);
      },
    };
    accessors.set(key, descriptor);
  }
  return descriptor;
}

/** The prototype of an adopted record: a field added through a kept reference becomes an accessor too. */
const ADDING: object = new Proxy(Object.prototype, {
  set(target, key, value, receiver) {
    if (!instrumented.has(receiver)) return Reflect.set(target, key, value, receiver);
    Object.defineProperty(receiver, key, accessor(key));
    (receiver as Record<PropertyKey, unknown>)[key] = value;
    return true;
  },
});

function showBacking(this: object, _depth: number, options: object): string {
  return inspect({ ...this }, options);
}
