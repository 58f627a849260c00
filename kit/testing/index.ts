// `@microtown/kit/testing`: what the tests of every service, the town, the bench and the grader share. Real
// processes in their own process groups, a service's app over real HTTP on a free port, polling until something
// happened. The vitest suite every service runs on the kit is `@microtown/kit/testing/vitest`.

export { crashLine, lastLines } from '../src/town/crash-lines.js';
export { endGroup, groupMembers } from '../src/town/process-group.js';
export { type Child, freePort, killAllChildren, spawnChild } from './child.js';
export { eventually } from './eventually.js';
export { type Reply, startTestApp, type TestApp, type TestAppOptions } from './test-app.js';
