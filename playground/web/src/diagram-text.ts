import type { Graph, ServiceState } from './types.js';

/** One edge as drawn: seen and expected, expected but not seen (missing), or seen but not expected. */
export interface EdgeView {
  from: string;
  to: string;
  state: 'seen' | 'missing' | 'unexpected';
  count: number;
  errors: number;
  p50_ms: number;
}

/** Expected edges first, in the manifests' order, then the unexpected ones in the order they were seen. */
export function edgeViews(graph: Graph): EdgeView[] {
  const key = (e: { from: string; to: string }) => `${e.from} ${e.to}`;
  const observed = new Map(graph.observed.map((e) => [key(e), e]));
  const expected = new Set(graph.expected.map(key));
  const views: EdgeView[] = graph.expected.map((e) => {
    const seen = observed.get(key(e));
    return seen ? { ...seen, state: 'seen' } : { ...e, state: 'missing', count: 0, errors: 0, p50_ms: 0 };
  });
  for (const e of graph.observed) if (!expected.has(key(e))) views.push({ ...e, state: 'unexpected' });
  return views;
}

const RESERVED = new Set([
  'end',
  'graph',
  'flowchart',
  'subgraph',
  'style',
  'class',
  'classdef',
  'click',
  'linkstyle',
]);

/** A Mermaid node id: the service name itself where Mermaid allows it, so the text reads as the chapter's. */
export const nodeId = (name: string) =>
  /^[a-z][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `svc_${name.replace(/[^a-z0-9]/g, '_')}`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function label(edge: EdgeView): string {
  if (edge.state === 'missing') return 'expected, not seen yet';
  const parts = [plural(edge.count, 'call'), `p50 ${edge.p50_ms} ms`];
  if (edge.errors) parts.push(plural(edge.errors, 'error'));
  return `${edge.state === 'unexpected' ? 'unexpected: ' : ''}${parts.join(' · ')}`;
}

const ARROW = { seen: '-->', missing: '-.->', unexpected: '==>' } as const;
const LINK_STYLE = {
  seen: 'stroke:#15803d,stroke-width:2px',
  failing: 'stroke:#d97706,stroke-width:2px',
  missing: 'stroke:#9ca3af,stroke-width:1.5px,stroke-dasharray:5 4',
  unexpected: 'stroke:#dc2626,stroke-width:3px',
} as const;

/** The diagram as Mermaid text: exactly what the page draws, so it renders the same anywhere Mermaid does. */
export function toMermaid(edges: EdgeView[], services: ServiceState[] = []): string {
  const lines = ['flowchart LR'];
  for (const s of services) lines.push(`  ${nodeId(s.name)}["${s.name} :${s.port}"]`);
  edges.forEach((e) => {
    lines.push(`  ${nodeId(e.from)} ${ARROW[e.state]}|"${label(e)}"| ${nodeId(e.to)}`);
  });
  edges.forEach((e, i) => {
    const style = e.state === 'seen' && e.errors > 0 ? 'failing' : e.state;
    lines.push(`  linkStyle ${i} ${LINK_STYLE[style]}`);
  });
  const down = services.filter((s) => s.health === 'down' || s.switch.mode === 'down');
  const slow = services.filter((s) => s.health === 'up' && s.switch.mode === 'slow');
  if (down.length) {
    lines.push('  classDef down fill:#fee2e2,stroke:#dc2626,color:#7f1d1d');
    lines.push(`  class ${down.map((s) => nodeId(s.name)).join(',')} down`);
  }
  if (slow.length) {
    lines.push('  classDef slow fill:#fef3c7,stroke:#d97706,color:#78350f');
    lines.push(`  class ${slow.map((s) => nodeId(s.name)).join(',')} slow`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Plain `A --> B` lines, one per edge the town really used (what the chapter's exercise asks to write down);
 * the expected edges while nothing has been seen yet.
 */
export function toArrows(edges: EdgeView[]): string {
  const seen = edges.filter((e) => e.state !== 'missing');
  return `${(seen.length ? seen : edges).map((e) => `${e.from} --> ${e.to}`).join('\n')}\n`;
}
