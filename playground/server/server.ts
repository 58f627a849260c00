// `npm start -w playground`: the playground in front of a running town (`npm start` runs both).
import { join } from 'node:path';
import { stopOnSignal, UserMistake } from '@microtown/kit/town';
import { buildPage } from './build-page.js';
import { readOtlpSettings } from './otlp-export.js';
import { readTown } from './read-town.js';
import { loadSettings, proxyLimits } from './settings.js';
import { startPlayground } from './start-playground.js';
import { connectWorkbench } from './workbench.js';

const ROOT = join(import.meta.dirname, '..', '..');

try {
  const settings = loadSettings();
  const services = await readTown(process.env.TOWN_ROOT ?? ROOT, process.env);
  const page = await buildPage((line) => console.log(line));
  const playground = await startPlayground({
    services,
    port: settings.PORT,
    host: settings.HOST,
    page,
    maxCalls: settings.PLAYGROUND_MAX_CALLS,
    limits: proxyLimits(settings),
    // OpenTelemetry's own variables, OTEL_EXPORTER_OTLP_ENDPOINT and ..._TRACES_ENDPOINT: the calls go out as spans.
    otlp: readOtlpSettings(process.env),
    // Under `npm start`, an IPC channel to it: its services' logs and reloads come in, resets go out.
    workbench: connectWorkbench(process.send ? process : undefined),
    // Check my work is on under `npm start` (a teacher turns it off: --no-check), on the exercise it runs if any.
    check: {
      enabled: Boolean(process.send) && process.env.PLAYGROUND_CHECK !== 'off',
      exercise: process.env.TOWN_EXERCISE,
      impl: process.env.TOWN_EXERCISE_IMPL,
      learners: (process.env.TOWN_LEARNER_SERVICES ?? '').split(',').filter(Boolean),
    },
  });
  const names = services.map((s) => s.name).join(', ') || 'no services yet';
  console.log(
    `playground listening on ${playground.url} (proxying ${names}; API docs: ${playground.url}/docs)`,
  );
  stopOnSignal(() => playground.close(), 3000);
} catch (error) {
  console.error(error instanceof UserMistake ? `playground: ${error.message}` : error);
  process.exit(1);
}
