import { z } from 'zod';
import { UserMistake } from './town/mistake.js';
import { BLOCKED_PORTS, blockedPort } from './town/ports.js';

/** A setting from the environment that cannot be used; the message names it and the value. */
export class SettingsError extends UserMistake {
  override name = 'SettingsError';
}

/** A TCP port setting, 1024-65535, with a default. */
export const port = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1024)
    .max(65535)
    .refine((value) => !BLOCKED_PORTS.has(value), { error: (issue) => blockedPort(Number(issue.input)) })
    .default(fallback);

/** An http(s) base URL setting, with a default. */
export const baseUrl = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

/** Reads and validates settings once at start-up: `readSettings(z.object({ PORT: port(4001) }))`. */
export function readSettings<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const reasons = result.error.issues.map((issue) => {
    const key = String(issue.path[0]);
    return `${key}=${JSON.stringify(env[key] ?? '')} (${issue.message})`;
  });
  throw new SettingsError(`invalid setting ${reasons.join(', ')}`);
}
