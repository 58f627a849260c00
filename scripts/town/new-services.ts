import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';

/** `npm run generate service` writes a dozen files: the service is started once they have stopped coming. */
const SETTLE_MS = 1000;

/**
 * Calls `found(name)` for each service that appears in `<root>/services/` while the town runs (a
 * `<name>-service/service.json` beside a `src/server.ts`), once its files have settled. Returns the watcher.
 */
export function watchNewServices(root: string, known: Set<string>, found: (name: string) => void): FSWatcher {
  const timers = new Map<string, NodeJS.Timeout>();
  const watcher = watch(join(root, 'services'), {
    ignoreInitial: true,
    depth: 3,
    ignored: (path) => /[/\\](node_modules|data)([/\\]|$)/.test(path),
  });
  watcher.on('all', (_event, path) => {
    const folder = /[/\\]services[/\\]([a-z0-9-]+)-service(?:[/\\]|$)/.exec(path)?.[1];
    if (!folder || known.has(folder)) return;
    clearTimeout(timers.get(folder));
    timers.set(
      folder,
      setTimeout(() => {
        timers.delete(folder);
        const dir = join(root, 'services', `${folder}-service`);
        if (
          known.has(folder) ||
          !existsSync(join(dir, 'service.json')) ||
          !existsSync(join(dir, 'src', 'server.ts'))
        )
          return;
        known.add(folder);
        found(folder);
      }, SETTLE_MS),
    );
  });
  return watcher;
}
