import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { RequestValidationError } from './errors.js';
import { type Location, toErrorItems } from './validation.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Obj = z.ZodObject;

/** What a route declares: its schemas (validation and OpenAPI come from them) and its documentation. */
export interface RouteOptions<
  P extends Obj | undefined,
  Q extends Obj | undefined,
  B extends z.ZodType | undefined,
  R,
  H extends Obj | undefined = undefined,
> {
  summary: string;
  description?: string;
  operationId?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the route reads, lower-case names (`'idempotency-key'`). */
  headers?: H;
  response?: z.ZodType<R>;
  /** Success status (200 by default; 201 for creation, 204 for no content). */
  status?: number;
  /** Documented error answers, e.g. `{ 404: 'User not found' }`. */
  errors?: Record<number, string>;
}

export interface RouteSpec
  extends RouteOptions<Obj | undefined, Obj | undefined, z.ZodType | undefined, unknown, Obj | undefined> {
  method: Method;
  path: string;
  operationId: string;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: validated, typed input, plus the raw request for the rare case that needs it. */
export interface HandlerInput<P, Q, B, H = undefined> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  headers: Out<H>;
  req: Request;
  res: Response;
}

export type Handler<P, Q, B, R, H = undefined> = (
  input: HandlerInput<P, Q, B, H>,
) => R | undefined | Promise<R | undefined>;

/**
 * Parses `input` with `schema`, or throws the 422 that FastAPI would give, `loc` starting with `where`. Routes get
 * this for free; a handler calls it only for input it assembles itself (say, from the query and the body together).
 */
export function validateInput<S extends z.ZodType>(where: Location, schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new RequestValidationError(toErrorItems(where, result.error.issues, input, schema));
}

/** `get /users/{user_id}` -> `get_users_user_id`: stable, readable, unique per method and path. */
export function defaultOperationId(method: Method, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return [method, ...words].join('_');
}

/** Express's `:name` for OpenAPI's `{name}`. */
export const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * What `res.status(status).json(value)` sends (same headers, HEAD answered without a body by Node), without the
 * steps a route's answer never needs (ETag, freshness, app-wide JSON settings): every answer of a service goes here.
 */
function sendJson(res: Response, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/** A handler with its types erased, as the router stores it. */
export type AnyHandler = Handler<z.ZodType, z.ZodType, z.ZodType, unknown, z.ZodType>;

/** Wraps a typed handler into an Express handler that validates input and serialises the declared response. */
export function toExpressHandler(spec: RouteSpec, handler: AnyHandler): RequestHandler {
  const status = spec.status ?? 200;
  const send = (res: Response, result: unknown) => {
    if (res.headersSent) return;
    if (status === 204 || result === undefined) {
      res.status(status).end();
      return;
    }
    // Like FastAPI's response_model: only the declared fields leave the service.
    sendJson(res, status, spec.response ? spec.response.parse(result) : result);
  };
  return (req, res) => {
    // Only what the route declares is read: Express parses `req.query` on each read.
    const input = {
      params: spec.params && validateInput('path', spec.params, req.params),
      query: spec.query && validateInput('query', spec.query, req.query),
      body: spec.body && validateInput('body', spec.body, req.body),
      headers: spec.headers && validateInput('header', spec.headers, req.headers),
      req,
      res,
    };
    const result = handler(input);
    // Sync handlers answer without a detour through the microtask queue; Express 5 catches a rejected promise.
    if (result instanceof Promise) return result.then((value) => send(res, value));
    send(res, result);
  };
}
