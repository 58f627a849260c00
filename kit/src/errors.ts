import { basename } from 'node:path';

/** An error a handler raises to answer with a status and FastAPI's `{"detail": ...}` body. */
export class HTTPException extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(typeof detail === 'string' ? detail : `HTTP ${status}`);
    this.name = 'HTTPException';
  }
}

/** One entry of FastAPI's 422 `detail` list. */
export interface ErrorItem {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** Raised when a request does not match its route's schemas; answered as 422. */
export class RequestValidationError extends Error {
  constructor(readonly errors: ErrorItem[]) {
    super(`request validation failed: ${errors.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; ')}`);
    this.name = 'RequestValidationError';
  }
}

const STORAGE_FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * The disk refused a write the store needed (full, read-only, not allowed): nothing of the change was kept, in
 * memory or on disk. Answered 507 when the disk is full, 503 otherwise.
 */
export class DiskRefusedError extends Error {
  readonly status: number;
  constructor(
    readonly file: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(
      `The disk refused to save this change to ${basename(file)} (${code}); nothing was changed. Free some space or fix ` +
        'the permissions, then retry',
      options,
    );
    this.name = 'DiskRefusedError';
    this.status = STORAGE_FULL.has(code) ? 507 : 503;
  }
}
