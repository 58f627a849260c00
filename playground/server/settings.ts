import { port, readSettings, z } from '@microtown/kit';
import { HOST, PLAYGROUND_PORT } from '@microtown/kit/town';
import { DEFAULT_LIMITS, type ProxyLimits } from './proxy.js';

const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** The playground's own settings; the services' URLs come from `<NAME>_SERVICE_URL` (see readTown). */
export const Settings = z.object({
  PORT: port(PLAYGROUND_PORT),
  HOST: z.string().default(HOST),
  PLAYGROUND_MAX_CALLS: count(1, 1_000_000, 5000),
  // What one slow or busy caller may hold of a service (proxy.ts's ProxyLimits says what each does).
  PLAYGROUND_BODY_TIMEOUT_MS: count(100, 3_600_000, DEFAULT_LIMITS.bodyTimeoutMs),
  PLAYGROUND_BODY_IDLE_MS: count(100, 3_600_000, DEFAULT_LIMITS.bodyIdleMs),
  PLAYGROUND_BUFFER_BYTES: count(0, 64 * 1024 * 1024, DEFAULT_LIMITS.bufferBytes),
  PLAYGROUND_MAX_UPLOADS: count(1, 256, DEFAULT_LIMITS.maxUploads),
  PLAYGROUND_MAX_QUEUED: count(0, 1_000_000, DEFAULT_LIMITS.maxQueued),
});

export type Settings = z.output<typeof Settings>;

export const loadSettings = (env: NodeJS.ProcessEnv = process.env) => readSettings(Settings, env);

/** The proxy's limits as the settings give them, for `startPlayground({ limits })`. */
export const proxyLimits = (settings: Settings): ProxyLimits => ({
  bodyTimeoutMs: settings.PLAYGROUND_BODY_TIMEOUT_MS,
  bodyIdleMs: settings.PLAYGROUND_BODY_IDLE_MS,
  bufferBytes: settings.PLAYGROUND_BUFFER_BYTES,
  maxUploads: settings.PLAYGROUND_MAX_UPLOADS,
  maxQueued: settings.PLAYGROUND_MAX_QUEUED,
});
