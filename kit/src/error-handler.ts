import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DiskRefusedError, HTTPException, RequestValidationError } from './errors.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
  limit?: number;
}

/** Where JSON.parse stopped, as FastAPI reports it in `loc` (`["body", 12]`). */
function jsonErrorPosition(message: string): number {
  const match = /position (\d+)/.exec(message);
  return match ? Number(match[1]) : 0;
}

/** Unknown routes answer like FastAPI: 404 `{"detail": "Not Found"}`. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ detail: 'Not Found' });
};

/** The one place where errors become FastAPI-shaped responses; anything unexpected is logged, never shown. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: BodyParserError, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof HTTPException) {
      if (err.headers) res.set(err.headers);
      res.status(err.status).json({ detail: err.detail });
      return;
    }
    if (err instanceof DiskRefusedError) {
      logger.error({ err, method: req.method, path: req.originalUrl }, 'the disk refused a write');
      res.status(err.status).set('retry-after', '5').json({ detail: err.message });
      return;
    }
    if (err instanceof RequestValidationError) {
      res.status(422).json({ detail: err.errors });
      return;
    }
    if (err.type === 'entity.parse.failed') {
      const item = {
        type: 'json_invalid',
        loc: ['body', jsonErrorPosition(err.message)],
        msg: 'JSON decode error',
        input: {},
        ctx: { error: err.message },
      };
      res.status(422).json({ detail: [item] });
      return;
    }
    if (err.type === 'entity.too.large') {
      res.status(413).json({ detail: `Request body too large (limit ${err.limit} bytes)` });
      return;
    }
    const status = err.status ?? 500;
    if (status >= 400 && status < 500 && err.expose !== false) {
      res.status(status).json({ detail: err.message });
      return;
    }
    logger.error({ err, method: req.method, path: req.originalUrl }, 'unhandled error');
    res.status(500).json({ detail: 'Internal Server Error' });
  };
}
