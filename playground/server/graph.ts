import type { EdgeStats, Recorder } from './recorder.js';
import type { Registry } from './registry.js';

/** `GET /api/graph`: the edges the manifests declare, and the edges the proxy saw. */
export interface Graph {
  expected: { from: string; to: string }[];
  observed: EdgeStats[];
}

export function graph(registry: Registry, recorder: Recorder): Graph {
  const expected = [...registry.values()].flatMap((s) => s.calls.map((to) => ({ from: s.name, to })));
  return { expected, observed: recorder.edges() };
}
