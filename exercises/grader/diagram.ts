/** A call from one node to another, as a diagram draws it. */
export interface Edge {
  from: string;
  to: string;
}

export interface Diagram {
  edges: Edge[];
  /** Lines that look like edges but cannot be read as one (no direction, a sequence diagram, ...). */
  problems: string[];
}

const SKIP = /^(graph|flowchart|subgraph|end|direction|classDef|class|style|linkStyle|click)\b/;
const FENCE = /```[ \t]*(\w*)[^\n]*\n([\s\S]*?)```/g;
/** Links between nodes: Mermaid's `-->`, `---`, `==>`, `-.->`, `<-->`, and plain `->`, `=>`, `→`. */
const LINK = /\s*(<?(?:-{2,}|={2,}|-\.+-)>?|<?->|=>|→|⟶|⇒)\s*/;

/**
 * Reads a text diagram: Mermaid `graph`/`flowchart` (in a ```mermaid block of Markdown, or alone), or plain
 * `A --> B` lines. Node labels count (`O[Orders Service] --> U[User]`), link labels do not (`-->|checks|`).
 */
export function parseDiagram(text: string): Diagram {
  const blocks = [...text.matchAll(FENCE)];
  const mermaid = blocks.filter(([, lang]) => lang === 'mermaid');
  const source = (mermaid.length ? mermaid : blocks).map(([, , body]) => body).join('\n') || text;
  const labels = new Map<string, string>();
  const edges: Edge[] = [];
  const problems: string[] = [];
  for (const raw of source.replace(/%%.*$/gm, '').split(/[\n;]/)) {
    const line = raw
      .trim()
      .replace(/\|[^|]*\|/g, ' ')
      .replace(/(--|==|-\.)\s+[^-=.>\s][^>]*?\s+(-->|==>|\.->)/g, (_, start: string, end: string) =>
        start === '-.' ? '-.->' : end,
      );
    if (!line || SKIP.test(line) || !LINK.test(line)) {
      if (/^sequenceDiagram\b/.test(line))
        problems.push('a sequenceDiagram: draw a graph (graph LR) instead');
      continue;
    }
    const parts = line.split(new RegExp(LINK.source.replace('(', '(?:')));
    const links = [...line.matchAll(new RegExp(LINK.source, 'g'))].map((m) => m[1] ?? '');
    const nodes = parts.map((part) => part.split('&').map((node) => readNode(node, labels)));
    links.forEach((link, i) => {
      const [left = [], right = []] = [nodes[i], nodes[i + 1]];
      const forward = link.endsWith('>') || /[→⟶⇒]/.test(link);
      const backward = link.startsWith('<');
      if (!forward && !backward)
        problems.push(`"${raw.trim()}" has no direction: write --> from caller to callee`);
      for (const a of left.filter(Boolean)) {
        for (const b of right.filter(Boolean)) {
          if (forward) edges.push({ from: a, to: b });
          if (backward) edges.push({ from: b, to: a });
        }
      }
    });
  }
  const name = (node: string) => labels.get(node) ?? node;
  return { edges: edges.map((e) => ({ from: name(e.from), to: name(e.to) })), problems };
}

/** `O[Orders Service]:::big` -> id `O`, labelled "Orders Service". */
function readNode(token: string, labels: Map<string, string>): string {
  const text = token.replace(/:::[\w-]+/g, '').trim();
  const match = /^([^\s[\](){}>]+)\s*[[({>]+\s*["'/\\]?(.*?)["'/\\]?\s*[\])}]+$/.exec(text);
  if (!match) return text;
  const [, id = '', label = ''] = match;
  if (label) labels.set(id, label);
  return id;
}

const FILLER = new Set(['service', 'services', 'svc', 'microservice', 'the', 'api', 'app', 'server', 'shop']);
const words = (name: string) =>
  name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word && !FILLER.has(word));
const key = (name: string) =>
  words(name)
    .map((word) => word.replace(/s$/, ''))
    .join('-');

/** `Orders Service`, `orders-service`, `orders` and `Order` are all `orders`; other names become kebab-case. */
export function serviceName(name: string, services: string[]): string {
  const wanted = key(name);
  return services.find((service) => key(service) === wanted) ?? (words(name).join('-') || name.trim());
}

export const edgeText = (edge: Edge) => `${edge.from} --> ${edge.to}`;
