// `npm start -w playground`: the playground in front of a running town (`npm start` runs both).
import { join } from 'node:path';
import { UserMistake } from '@microtown/kit/town';
import { buildPage } from './build-page.js';
import { readTown } from './read-town.js';
import { loadSettings } from './settings.js';
import { startPlayground } from './start-playground.js';

const ROOT = join(import.meta.dirname, '..', '..');

try {
  const settings = loadSettings();
  const services = await readTown(ROOT, process.env);
  const page = await buildPage((line) => console.log(line));
  const playground = await startPlayground({
    services,
    port: settings.PORT,
    host: settings.HOST,
    page,
    maxCalls: settings.PLAYGROUND_MAX_CALLS,
  });
  const names = services.map((s) => s.name).join(', ') || 'no services yet';
  console.log(
    `playground listening on ${playground.url} (proxying ${names}; API docs: ${playground.url}/docs)`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 3000).unref();
    await playground.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof UserMistake ? `playground: ${error.message}` : error);
  process.exit(1);
}
