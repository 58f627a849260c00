import { join } from 'node:path';
import { port, readSettings, z } from '@microtown/kit';

/** Every setting of the inventory service, from the environment, with defaults that work on a laptop. */
export const Settings = z.object({
  PORT: port(4002),
  HOST: z.string().default('127.0.0.1'),
  DATA_FILE: z.string().default(join(import.meta.dirname, '..', 'data', 'inventory.json')),
  // microtown:settings
});

/** Reads and checks the settings once, at start-up; a bad value stops the service with a message naming it. */
export const loadSettings = (env: NodeJS.ProcessEnv = process.env) => readSettings(Settings, env);
