import type { RequestHandler } from 'express';
import { type Logger, pino } from 'pino';
import { runWithTrace, traceFrom } from './trace.js';

export type { Logger };

/** Sent by the playground's probes (health, record counts), whose requests log at debug, not info. */
export const PROBE_HEADER = 'x-microtown-probe';

/** Quiet under test runners, `LOG_LEVEL` otherwise (default info). */
export function createLogger(service: string, level = defaultLevel()): Logger {
  return pino({ name: service, level, base: { service } });
}

function defaultLevel(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.VITEST || process.env.NODE_ENV === 'test' ? 'silent' : 'info';
}

/**
 * Continues the caller's trace (or starts one) for the rest of the request, and logs one structured line per
 * request: method, path, status, duration, trace id, caller.
 */
export function traceAndLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const trace = traceFrom(req.headers.traceparent as string | undefined);
    const traceId = trace.traceId;
    res.setHeader('x-trace-id', traceId);
    if (!logger.isLevelEnabled('info')) return runWithTrace(trace, next);
    const started = performance.now();
    res.on('finish', () => {
      // Probes come every second from the start script and the playground (health, record counts): not worth a
      // line each, unless they fail.
      const probe = req.path === '/health' || req.headers[PROBE_HEADER] !== undefined;
      const level = probe && res.statusCode < 400 ? 'debug' : 'info';
      logger[level](
        {
          method: req.method,
          path: req.originalUrl,
          status: res.statusCode,
          duration_ms: Math.round((performance.now() - started) * 100) / 100,
          trace_id: traceId,
          caller: req.headers['x-caller'],
        },
        'request',
      );
    });
    runWithTrace(trace, next);
  };
}
