import type { RequestHandler } from 'express';
import { type Logger, pino } from 'pino';
import { currentTrace } from './trace.js';

export type { Logger };

/** Quiet under test runners, `LOG_LEVEL` otherwise (default info). */
export function createLogger(service: string, level = defaultLevel()): Logger {
  return pino({ name: service, level, base: { service } });
}

function defaultLevel(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.VITEST || process.env.NODE_ENV === 'test' ? 'silent' : 'info';
}

/** One structured line per request: method, path, status, duration, trace id, caller. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info')) return next();
    const started = performance.now();
    const traceId = currentTrace()?.traceId;
    res.on('finish', () => {
      logger.info(
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
    next();
  };
}
