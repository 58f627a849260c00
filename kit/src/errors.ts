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
