import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Call } from './recorder.js';

/** Enough of a request to check it against the callee's schema; a longer one is not checked. */
export const REQUEST_BODY_LIMIT = 16 * 1024;
/** Enough of an error's answer to read its `detail`. */
export const ANSWER_BODY_LIMIT = 2 * 1024;

// application/json, application/problem+json, with or without a charset.
const JSON_TYPE = /^\s*application\/([\w.-]+\+)?json\s*(;|$)/i;

export interface Capture {
  /** What was kept of the two bodies, for the record: nothing for a call that kept none. */
  bodies(): Pick<Call, 'request_body' | 'response_body'>;
}

/** The first `limit` bytes of a stream of chunks; the rest passes by unkept. */
function head(limit: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add(chunk: Uint8Array | string) {
      if (size >= limit) return;
      const bytes =
        typeof chunk === 'string'
          ? Buffer.from(chunk)
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const part = bytes.subarray(0, limit - size);
      chunks.push(part);
      size += part.length;
    },
    full: () => size >= limit,
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

/**
 * Keeps the start of a JSON request's body and of a JSON error's answer as they stream through the proxy, for the
 * explanations of failed calls: nothing is held back from the callee or the caller, and a call with neither pays a
 * header check and one call of a wrapper.
 */
export function captureBodies(req: IncomingMessage, res: ServerResponse): Capture {
  const encoded = (value: unknown) => value !== undefined && value !== 'identity';
  const request =
    JSON_TYPE.test(req.headers['content-type'] ?? '') && !encoded(req.headers['content-encoding'])
      ? tapRequest(req)
      : undefined;
  const answer = tapAnswer(res, encoded);
  return {
    bodies() {
      const kept: Pick<Call, 'request_body' | 'response_body'> = {};
      if (request) kept.request_body = request.text();
      if (answer.kept()) kept.response_body = answer.text();
      return kept;
    },
  };
}

function tapRequest(req: IncomingMessage) {
  const kept = head(REQUEST_BODY_LIMIT);
  // Paused first, so that the listener does not set the body flowing: it flows once the proxy pipes it on, to both.
  // (A request held back by a slow switch would otherwise lose its start before it is forwarded.)
  req.pause();
  const keep = (chunk: Buffer) => {
    kept.add(chunk);
    if (kept.full()) req.off('data', keep);
  };
  req.on('data', keep);
  return kept;
}

/**
 * The answer's body, if its status is >= 400 and it is JSON. The proxy's own answers set their headers in
 * writeHead, where getHeader cannot see them: an answer of no known type is kept too (bounded, errors only).
 * Decided at the first write; an answer not kept gets its own write and end back.
 */
function tapAnswer(res: ServerResponse, encoded: (value: unknown) => boolean) {
  const kept = head(ANSWER_BODY_LIMIT);
  const { write, end } = res;
  let keeping: boolean | undefined;
  const keep = (chunk: unknown) => {
    if (keeping === undefined) {
      const type = res.getHeader('content-type');
      keeping =
        res.statusCode >= 400 &&
        (type === undefined || JSON_TYPE.test(String(type))) &&
        !encoded(res.getHeader('content-encoding'));
      if (!keeping) {
        res.write = write;
        res.end = end;
      }
    }
    if (keeping && (typeof chunk === 'string' || chunk instanceof Uint8Array)) kept.add(chunk);
  };
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
  return { kept: () => keeping === true, text: kept.text };
}
