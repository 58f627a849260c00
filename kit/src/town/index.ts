// `@microtown/kit/town`: what a service of the town is, in one place. The manifest and its reader, the name rule,
// the variable a caller finds a service by, and where the town listens. Generators, `npm start`, the playground,
// the grader, the tests and the bench all read it from here.

export { crashLine, lastLines } from './crash-lines.js';
export {
  Manifest,
  ManifestError,
  readManifest,
  readServices,
  type ServiceFolder,
  servicePath,
} from './manifest.js';
export { failureLine, UserMistake } from './mistake.js';
export { isServiceName, plural, SERVICE_NAME, serviceFolder, serviceUrlVariable } from './names.js';
export {
  dataFileOf,
  type Launch,
  type PlannedService,
  type PlanOptions,
  planTown,
  serviceCommand,
  type TownPlan,
} from './plan.js';
export { BLOCKED_PORTS, blockedPort, HOST, PLAYGROUND_PORT } from './ports.js';
export { endGroup, groupMembers } from './process-group.js';
export { stopOnSignal } from './stop-signal.js';
export {
  type FromPlayground,
  formatLogEntry,
  LOG_LEVELS,
  type LogEntry,
  type LogLevel,
  parseLogLine,
  type ServiceState,
  type ToPlayground,
  type TownEvent,
} from './town-events.js';
