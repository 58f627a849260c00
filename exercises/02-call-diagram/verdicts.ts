import { type Diagram, describeReads, type Edge, edgeText } from '../grader/diagram.js';

export const TOWN = ['user', 'inventory', 'orders', 'notification'];

const EXPECTED: [number, Edge, string][] = [
  [2, { from: 'orders', to: 'user' }, 'before it takes an order, orders asks user whether the user exists'],
  [3, { from: 'orders', to: 'inventory' }, 'orders asks inventory to reserve the stock it sells'],
  [4, { from: 'orders', to: 'notification' }, 'orders asks notification to send the confirmation'],
];

const has = (edges: Edge[], edge: Edge) => edges.some((e) => e.from === edge.from && e.to === edge.to);

/**
 * The hint of each task that loses its points (absent: full points), from the diagram and the calls the playground
 * saw when an order was placed (`orders --> user` -> `GET /users/u1`).
 */
export function verdicts(diagram: Diagram, file: string, seen: Map<string, string>): Map<number, string> {
  const hints = new Map<number, string>();
  const read = `; ${file} was read as: ${describeReads(diagram)}`;
  const problems = diagram.problems.length ? ` (${diagram.problems.join('; ')})` : '';
  if (diagram.edges.length === 0) {
    hints.set(
      1,
      `${file} has no arrow: write lines like "orders --> user" (a Mermaid graph or plain text)${problems}`,
    );
  }
  for (const [id, edge, why] of EXPECTED) {
    if (has(diagram.edges, edge)) continue;
    const reversed = has(diagram.edges, { from: edge.to, to: edge.from })
      ? ' (your arrow points the other way)'
      : '';
    const call = seen.get(edgeText(edge));
    const evidence = call
      ? `; the playground saw orders call ${call} on ${edge.to} when an order was placed`
      : '';
    hints.set(id, `missing the arrow ${edgeText(edge)}${reversed}: ${why}${evidence}${read}${problems}`);
  }
  const between = diagram.edges.filter(
    (e) => TOWN.includes(e.from) && TOWN.includes(e.to) && e.from !== e.to,
  );
  const extra = between.filter((e) => !seen.has(edgeText(e)));
  if (between.length === 0) {
    hints.set(5, `no arrow between two services of the town yet${read}${problems}`);
  } else if (extra.length) {
    const observed = [...seen.keys()].join(', ') || 'nothing';
    const lines = extra.map((e) => `${edgeText(e)} (line ${e.line})`).join(', ');
    hints.set(
      5,
      `extra ${extra.length === 1 ? 'arrow' : 'arrows'} ${lines}: when an order is placed the playground sees only ${observed}${read}`,
    );
  }
  return hints;
}
