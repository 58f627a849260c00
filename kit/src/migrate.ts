import { StoreError } from './durable-json-file.js';
import type { Store } from './store.js';

/**
 * A change to the stored records that a new version of a service needs (a field added to a resource: give the old
 * records its default). Migrations run once each, oldest first, when the service opens its data file, and the data
 * file records which have run (`"migrations": { "<id>": "<when>" }`).
 */
export interface Migration<T> {
  /** Unique in the service and never reused, e.g. `user-phone`. */
  id: string;
  /** Changes the data in place. */
  up(data: T): void;
}

type Recorded = { migrations?: Record<string, string> };

/**
 * Runs the migrations the data file has not recorded yet, all in one update: if one throws, none is kept and the
 * service stops, naming it. Returns the ids it ran.
 */
export async function runMigrations<T extends object>(
  store: Store<T>,
  migrations: readonly Migration<T>[],
): Promise<string[]> {
  const ids = new Set<string>();
  for (const { id } of migrations) {
    if (ids.has(id))
      throw new StoreError(`${store.file}: two migrations are named ${id}; give each its own id`);
    ids.add(id);
  }
  const done = (store.data as Recorded).migrations ?? {};
  const pending = migrations.filter((m) => !Object.hasOwn(done, m.id));
  if (pending.length === 0) return [];
  let running = '';
  try {
    await store.update((data) => {
      const recorded = data as T & Recorded;
      recorded.migrations ??= {};
      for (const migration of pending) {
        running = migration.id;
        migration.up(data);
        recorded.migrations[migration.id] = new Date().toISOString();
      }
    });
  } catch (error) {
    throw new StoreError(
      `${store.file}: migration ${running} failed (${(error as Error).message}); the data file is as it was`,
    );
  }
  return pending.map((m) => m.id);
}
