export { z } from 'zod';
export {
  BREAKER_DEFAULTS,
  type CallOptions,
  type Client,
  type ClientOptions,
  type ClientResponse,
  createClient,
} from './client.js';
export { type ErrorItem, HTTPException, RequestValidationError } from './errors.js';
export { allowedHost, refusal } from './guard.js';
export { createLogger, type Logger, PROBE_HEADER } from './logger.js';
export { type Migration, runMigrations } from './migrate.js';
export {
  createOutbox,
  type Delivery,
  type Outbox,
  type OutboxEntry,
  type OutboxHandler,
  type OutboxHandlers,
  type OutboxOptions,
} from './outbox.js';
export { listPage, Paging, pageOf } from './paging.js';
export { type HandlerInput, type RouteOptions, validateInput } from './route.js';
export { type Closable, runServer, type ServerSetup } from './run-server.js';
export { closeServer, type Listening, PortInUseError, serve } from './serve.js';
export { createService, type Service, type ServiceOptions } from './service.js';
export { baseUrl, port, readSettings, SettingsError } from './settings.js';
export { openStore, type Store, StoreError } from './store.js';
export { readStoreState } from './store-load.js';
export { lockHolder } from './store-lock.js';
export { UserMistake } from './town/mistake.js';
export {
  currentTrace,
  outgoingTraceparent,
  resumeTrace,
  runWithTrace,
  type TraceContext,
  traceFrom,
  traceIdOf,
} from './trace.js';
