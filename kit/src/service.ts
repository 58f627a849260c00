import type { IncomingMessage } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import { errorHandler, notFound } from './error-handler.js';
import { refusal } from './guard.js';
import { createLogger, type Logger, traceAndLog } from './logger.js';
import { buildOpenAPI, type OpenAPIDocument } from './openapi.js';
import { redoc } from './redoc.js';
import {
  type AnyHandler,
  defaultOperationId,
  expressPath,
  type Handler,
  type Method,
  type RouteOptions,
  type RouteSpec,
  toExpressHandler,
} from './route.js';

export interface ServiceOptions {
  /** Short name of the service (`user`), used in logs, `/health`, `x-caller` and the OpenAPI title. */
  name: string;
  version?: string;
  description?: string;
  /** Largest accepted JSON body (default `100kb`); larger bodies get 413. */
  bodyLimit?: string;
  logger?: Logger;
}

type Obj = z.ZodObject;
type AddRoute = <
  P extends Obj | undefined = undefined,
  Q extends Obj | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R = unknown,
  H extends Obj | undefined = undefined,
>(
  path: string,
  options: RouteOptions<P, Q, B, R, H>,
  handler: Handler<P, Q, B, R, H>,
) => void;

export interface Service {
  readonly name: string;
  /** The Express app: hand it to `serve()`, or to a test. */
  readonly app: Express;
  readonly logger: Logger;
  get: AddRoute;
  post: AddRoute;
  put: AddRoute;
  patch: AddRoute;
  delete: AddRoute;
  openapi(): OpenAPIDocument;
}

const Health = z.object({ status: z.literal('ok'), service: z.string() }).meta({ id: 'Health' });

/** FastAPI reads a body with no content type as JSON too; other types are not JSON bodies. */
const isJsonBody = (req: IncomingMessage) => {
  const type = req.headers['content-type'];
  return type === undefined || /^application\/([\w.+-]+\+)?json\b/i.test(type);
};

/**
 * A FastAPI-style service: declare routes with zod schemas; validation, errors, `/openapi.json`, `/docs` (Swagger UI)
 * and `/redoc` follow.
 */
export function createService(options: ServiceOptions): Service {
  const { name, version = '0.1.0', description } = options;
  const logger = options.logger ?? createLogger(name);
  const app = express();
  const routes = express.Router();
  const specs: RouteSpec[] = [];
  let document: OpenAPIDocument | undefined;

  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(traceAndLog(logger));
  // Strangers first: a Host it is not reached by (DNS rebinding), or a page of another site changing data.
  app.use((req, res, next) => {
    const refused = refusal(req);
    if (refused) res.status(403).json({ detail: refused });
    else next();
  });
  // Like FastAPI, only routes that declare a body read one.
  const parseJson = express.json({ limit: options.bodyLimit ?? '100kb', strict: false, type: isJsonBody });
  // An empty body is no body, as in FastAPI (body-parser would make it `{}`): `POST /send?user_id=...` has none.
  const readBody: RequestHandler = (req, res, next) =>
    parseJson(req, res, (error?: unknown) => {
      if (req.headers['content-length'] === '0') req.body = undefined;
      next(error);
    });
  // Routes first: they are what most requests are for.
  app.use(routes);
  app.get('/openapi.json', (_req, res) => {
    res.json(service.openapi());
  });
  // A relative spec URL keeps /docs working behind the playground's /svc/<name>/ prefix; the spec's relative
  // `servers` then sends "Try it out" there too (see buildOpenAPI).
  const docsOptions = {
    customSiteTitle: `${name} service - docs`,
    swaggerOptions: { url: '../openapi.json' },
  };
  app.use('/docs', swaggerUi.serveFiles(undefined, docsOptions), swaggerUi.setup(undefined, docsOptions));
  app.use(redoc(`${name} service - ReDoc`));
  app.use(notFound);
  app.use(errorHandler(logger));

  const add =
    (method: Method): AddRoute =>
    (path, routeOptions, handler) => {
      const spec = {
        ...routeOptions,
        method,
        path,
        operationId: routeOptions.operationId ?? defaultOperationId(method, path),
      };
      if (specs.some((s) => s.operationId === spec.operationId)) {
        throw new Error(
          `${name}: route ${method.toUpperCase()} ${path} is declared twice (operationId ${spec.operationId})`,
        );
      }
      specs.push(spec as RouteSpec);
      document = undefined;
      const handle = toExpressHandler(spec as RouteSpec, handler as AnyHandler);
      if (spec.body) routes[method](expressPath(path), readBody, handle);
      else routes[method](expressPath(path), handle);
    };

  const service: Service = {
    name,
    app,
    logger,
    get: add('get'),
    post: add('post'),
    put: add('put'),
    patch: add('patch'),
    delete: add('delete'),
    openapi() {
      document ??= buildOpenAPI(
        { title: `${name} service`, version, ...(description ? { description } : {}) },
        specs,
      );
      return document;
    },
  };
  service.get('/health', { summary: 'Health check', tags: ['health'], response: Health }, () => ({
    status: 'ok' as const,
    service: name,
  }));
  return service;
}
