import { port, readSettings, z } from '@microtown/kit';
import { HOST, PLAYGROUND_PORT } from '@microtown/kit/town';

/** The playground's own settings; the services' URLs come from `<NAME>_SERVICE_URL` (see readTown). */
export const Settings = z.object({
  PORT: port(PLAYGROUND_PORT),
  HOST: z.string().default(HOST),
  PLAYGROUND_MAX_CALLS: z.coerce.number().int().min(1).max(1_000_000).default(5000),
});

export const loadSettings = (env: NodeJS.ProcessEnv = process.env) => readSettings(Settings, env);
