import type { Fault, Graph, ServiceState } from './types.js';

/** Where a fault of the fault lab is set: an edge (from → to), calls from outside, or a whole service (no from). */
export type FaultScope = Pick<Fault, 'from' | 'to'>;
const OUTSIDE = 'outside';

/** One edge as drawn: seen and expected, expected but not seen (missing), or seen but not expected. */
export interface EdgeView {
  from: string;
  to: string;
  state: 'seen' | 'missing' | 'unexpected';
  count: number;
  errors: number;
  p50_ms: number;
  /** Over the edge's last calls only (see the recorder): an outage that is over no longer colours it. */
  recent: { count: number; errors: number };
  /** Some of its recent calls failed. */
  failing: boolean;
  /** A fault is set on this very edge: its calls fail or slow down on purpose. */
  faulted: boolean;
  /** Picked out on the page: the calls of a check the learner asked to see went this way. */
  lit?: boolean;
}

/** A call from outside the town (the customer, the page's console) into one service. */
export interface OutsideView {
  to: string;
  /** An entry of the town: it calls others and no service calls it, so a customer must (orders, in the chapter). */
  entry: boolean;
  /** Called from outside since the page opened (or the calls were cleared). */
  seen: boolean;
  /** A fault is set on calls from outside into it. */
  faulted: boolean;
  /** Picked out on the page, as an edge's `lit`. */
  lit?: boolean;
}

/** Expected edges first, in the manifests' order, then the unexpected ones in the order they were seen. */
export function edgeViews(graph: Graph, faults: FaultScope[] = []): EdgeView[] {
  const key = (e: { from: string; to: string }) => `${e.from} ${e.to}`;
  const observed = new Map(graph.observed.map((e) => [key(e), e]));
  const expected = new Set(graph.expected.map(key));
  const faulted = new Set(faults.flatMap((f) => (f.from ? [key({ from: f.from, to: f.to })] : [])));
  const view = (e: Graph['observed'][number], state: 'seen' | 'unexpected'): EdgeView => ({
    ...e,
    state,
    failing: e.recent.errors > 0,
    faulted: faulted.has(key(e)),
  });
  const views: EdgeView[] = graph.expected.map((e) => {
    const seen = observed.get(key(e));
    if (seen) return view(seen, 'seen');
    const none = { count: 0, errors: 0 };
    const faults = { failing: false, faulted: faulted.has(key(e)) };
    return { ...e, state: 'missing', ...none, p50_ms: 0, recent: none, ...faults };
  });
  for (const e of graph.observed) if (!expected.has(key(e))) views.push(view(e, 'unexpected'));
  return views;
}

/** The town's entries (called from outside in the chapter's drawing), then the other services called from outside. */
export function outsideViews(
  graph: Graph,
  calledFromOutside: Iterable<string>,
  faults: FaultScope[] = [],
): OutsideView[] {
  const called = new Set(calledFromOutside);
  const faulted = new Set(faults.flatMap((f) => (f.from === OUTSIDE ? [f.to] : [])));
  const callees = new Set(graph.expected.map((e) => e.to));
  const entries = [...new Set(graph.expected.map((e) => e.from))].filter((name) => !callees.has(name));
  const others = [...called].filter((name) => !entries.includes(name));
  return [
    ...entries.map((to) => ({ to, entry: true, seen: called.has(to), faulted: faulted.has(to) })),
    ...others.map((to) => ({ to, entry: false, seen: true, faulted: faulted.has(to) })),
  ];
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

/** Marks what the fault lab makes fail on purpose, in labels and node names. */
export const FAULT_MARK = '⚡ fault';

function label(edge: EdgeView, join: string): string {
  const fault = edge.faulted ? `${FAULT_MARK}${join}` : '';
  if (edge.state === 'missing') return `${fault}expected, not seen yet`;
  const parts = [plural(edge.count, 'call'), `p50 ${edge.p50_ms} ms`];
  if (edge.failing) parts.push(recentFailures(edge));
  return `${fault}${edge.state === 'unexpected' ? 'unexpected: ' : ''}${parts.join(join)}`;
}

/** e.g. `2 of last 10 failed`: the totals stay in the edges table. */
export const recentFailures = (edge: EdgeView) => `${edge.recent.errors} of last ${edge.recent.count} failed`;

const ARROW = { seen: '-->', missing: '-.->', unexpected: '==>' } as const;
const LINK_STYLE = {
  seen: 'stroke:#15803d,stroke-width:2px',
  failing: 'stroke:#d97706,stroke-width:2px',
  missing: 'stroke:#9ca3af,stroke-width:1.5px,stroke-dasharray:5 4',
  unexpected: 'stroke:#dc2626,stroke-width:3px',
  // A fault set on purpose: what it does to the calls is in the label (and in the colour once it is gone).
  faulted: 'stroke:#db2777,stroke-width:3px,stroke-dasharray:8 3',
  // Not a call between services: the customer's own, or what notification sends; thinner, in grey or violet.
  outside: 'stroke:#6b7280,stroke-width:1.5px',
  messages: 'stroke:#7c3aed,stroke-width:1.5px,stroke-dasharray:2 3',
  // The calls the learner asked to see (a failed check's): thick and blue, over whatever state the edge is in.
  lit: 'stroke:#2563eb,stroke-width:4px',
} as const;

/**
 * ELK lays the diagram out (registered by the page; Mermaid elsewhere falls back to its own layout): it keeps labels
 * clear of each other and of the nodes when the town grows to eight services and more.
 */
const FRONTMATTER = ['---', 'config:', '  layout: elk', '---'];

// Ids with an underscore: a service name (kebab-case, see nodeId) can never be one of them.
const CUSTOMER = 'outside_customer';
const MESSAGES = 'outside_messages';

/**
 * A small town reads left to right, as the exercise draws it. A bigger one goes top to bottom, its labels on
 * several lines: ELK gives every label room on its edge, and side by side, short lines take the least room.
 */
const SMALL_TOWN = 5;
const layout = (services: ServiceState[]) =>
  services.length <= SMALL_TOWN ? { direction: 'LR', join: ' · ' } : { direction: 'TD', join: '<br>' };

/** Who sends the chapter's messages (email/SMS): drawn with an arrow out of the town, as the exercise does. */
const SENDS_MESSAGES = 'notification';

/**
 * The diagram as Mermaid text: exactly what the page draws, so it renders the same anywhere Mermaid does. Around the
 * town, as the chapter's exercise draws it: the customer calling in, and notification's messages going out.
 */
export function toMermaid(
  edges: EdgeView[],
  services: ServiceState[] = [],
  outside: OutsideView[] = [],
  faults: FaultScope[] = [],
): string {
  const { direction, join } = layout(services);
  const lines = [...FRONTMATTER, `flowchart ${direction}`];
  const messages = services.some((s) => s.name === SENDS_MESSAGES);
  // Declared first, so that the layout starts from the customer on the left.
  if (outside.length) lines.push(`  ${CUSTOMER}(("customer"))`);
  // A fault on a whole service (any caller): marked on the service itself.
  const faulted = services.filter((s) => faults.some((f) => f.from === undefined && f.to === s.name));
  for (const s of services) {
    const mark = faulted.includes(s) ? `${FAULT_MARK} · ` : '';
    lines.push(`  ${nodeId(s.name)}["${mark}${s.name} :${s.port}"]`);
  }
  if (messages) lines.push(`  ${MESSAGES}>"messages"]`);

  // Mermaid numbers the links in the order they are written; linkStyle refers to them by that number.
  const styles: string[] = [];
  for (const e of edges) {
    lines.push(`  ${nodeId(e.from)} ${ARROW[e.state]}|"${label(e, join)}"| ${nodeId(e.to)}`);
    styles.push(
      LINK_STYLE[
        e.lit ? 'lit' : e.faulted ? 'faulted' : e.state === 'seen' && e.failing ? 'failing' : e.state
      ],
    );
  }
  for (const o of outside) {
    const mark = o.faulted ? `|"${FAULT_MARK}"|` : '';
    lines.push(`  ${CUSTOMER} ${o.seen ? '-->' : '-.->'}${mark} ${nodeId(o.to)}`);
    styles.push(
      LINK_STYLE[o.lit ? 'lit' : o.faulted ? 'faulted' : o.seen ? (o.entry ? 'seen' : 'outside') : 'missing'],
    );
  }
  if (messages) {
    lines.push(`  ${nodeId(SENDS_MESSAGES)} -.->|"email / SMS"| ${MESSAGES}`);
    styles.push(LINK_STYLE.messages);
  }
  styles.forEach((style, i) => {
    lines.push(`  linkStyle ${i} ${style}`);
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
  if (faulted.length) {
    lines.push('  classDef faulted stroke:#db2777,stroke-width:3px,stroke-dasharray:8 3');
    lines.push(`  class ${faulted.map((s) => nodeId(s.name)).join(',')} faulted`);
  }
  const around = [...(outside.length ? [CUSTOMER] : []), ...(messages ? [MESSAGES] : [])];
  if (around.length) {
    lines.push('  classDef outside fill:#fff,stroke:#6b7280,stroke-dasharray:3 3,color:#374151');
    lines.push(`  class ${around.join(',')} outside`);
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
