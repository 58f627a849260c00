export { buildPage } from './build-page.js';
export type { Fault, FaultSpec } from './faults.js';
export type { Graph } from './graph.js';
export type { ServiceState } from './monitor.js';
export { readTown, serviceUrlVariable } from './read-town.js';
export type { Call, CallQuery, EdgeStats, Recorder } from './recorder.js';
export type { ServiceTarget } from './registry.js';
export { PAGE_DIR, type Playground, type PlaygroundOptions, startPlayground } from './start-playground.js';
export type { Switch, Switches } from './switches.js';
