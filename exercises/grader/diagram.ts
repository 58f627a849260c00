import { readLine, type Segment, SHAPE_CLOSE, SHAPE_OPEN, splitTopLevel } from './diagram-line.js';
import { readVertical } from './diagram-vertical.js';

/** A call from one node to another, as a diagram draws it, with the line it was read from. */
export interface Edge {
  from: string;
  to: string;
  line?: number;
}

/** How one line of the file was read, for hints: `line 3: read as orders → user`. */
export interface LineRead {
  line: number;
  edges: Edge[];
}

export interface Diagram {
  edges: Edge[];
  /** The lines that gave arrows, in order. */
  reads: LineRead[];
  /** Lines that look like arrows but are not one (no direction, a sequence diagram, ...), with their line. */
  problems: string[];
}

const SHELL_FENCE = /^(sh|bash|shell|console|zsh|powershell|ps1|cmd|bat|terminal|text-shell)$/i;
const SHELL_LINE =
  /^\s*(\$|>\s*)?\s*(npm|npx|node|curl|http|python3?|uvicorn|pip|docker|git|cd|export|yarn|pnpm)\s/;
const MERMAID_SKIP = /^(graph|flowchart|subgraph|end|direction|classDef|class|style|linkStyle|click|%%)\b/;

/**
 * Reads a diagram as learners draw one: every fenced block and the text around it, Mermaid `graph`/`flowchart`,
 * plain `A --> B` lines with labels, ASCII boxes and vertical arrows. Prose, shell lines and sequence diagrams
 * give no arrows. Names are matched to `services` where one fits (`OrderService (:8003)` is `orders`).
 */
export function parseDiagram(text: string, services: string[] = []): Diagram {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: { line: number; text: string }[] = [];
  const problems: { line: number; text: string }[] = [];
  let fence: string | undefined;
  let sequence = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const opening = /^\s*(```+|~~~+)\s*([\w-]*)/.exec(raw);
    if (opening) {
      fence = fence === undefined ? (opening[2] ?? '') : undefined;
      sequence = false;
      return;
    }
    if (fence !== undefined && SHELL_FENCE.test(fence)) return;
    if (/^\s*sequenceDiagram\b/.test(raw)) {
      sequence = true;
      problems.push({
        line,
        text: 'a sequenceDiagram shows messages, not who calls whom: draw a graph (graph LR) instead',
      });
      return;
    }
    if (sequence || SHELL_LINE.test(raw)) return;
    kept.push({ line, text: withoutShellCode(raw.replace(/%%.*$/, '')) });
  });

  const labels = nodeLabels(kept.map((k) => k.text));
  const name = (segment: Segment) => resolve(segment, labels, services);
  const reads: LineRead[] = [];
  for (const { line, text: content } of kept) {
    if (MERMAID_SKIP.test(content.trim()) && !/-->|==>/.test(content)) continue;
    for (const part of splitTopLevel(content, ';').filter((p) => p.trim())) {
      const read = readLine(part);
      if (read.undirected) {
        problems.push({ line, text: `"${part.trim()}" has no direction: write --> from caller to callee` });
      }
      const edges = read.edges.map((e) => ({ from: name(e.from), to: name(e.to), line }));
      if (edges.length) reads.push({ line, edges });
    }
  }
  for (const edge of readVertical(lines)) {
    reads.push({ line: edge.line, edges: [{ from: name(edge.from), to: name(edge.to), line: edge.line }] });
  }
  reads.sort((a, b) => a.line - b.line);
  problems.sort((a, b) => a.line - b.line);
  return {
    edges: reads.flatMap((r) => r.edges),
    reads,
    problems: problems.map((p) => `line ${p.line}: ${p.text}`),
  };
}

/** Inline code that is a command (`npm run grade -- 02`) is not part of a drawing; other inline code is. */
const withoutShellCode = (line: string) =>
  line.replace(/`([^`]*)`/g, (_, code: string) =>
    SHELL_LINE.test(` ${code}`) || /^\s*\$/.test(code) ? '' : code,
  );

/** Mermaid node definitions anywhere in the file: `U["User Service (:8001)"]` labels the id `U`. */
function nodeLabels(lines: string[]): Map<string, string> {
  const labels = new Map<string, string>();
  const shape = new RegExp(
    String.raw`(?:^|[\s&;>|-])([A-Za-z_][\w-]*?)(?:${SHAPE_OPEN})\s*(?:"([^"]*)"|([^\])}"]*?))\s*(?:${SHAPE_CLOSE})`,
    'g',
  );
  for (const line of lines) {
    for (const match of line.matchAll(shape)) {
      const [, id = '', quoted, plain] = match;
      const label = (quoted ?? plain ?? '').trim();
      if (label && !labels.has(id)) labels.set(id, label);
    }
  }
  return labels;
}

/** A node's name: its label or its id, whichever names a service; else the label (or the name as written). */
function resolve(segment: Segment, labels: Map<string, string>, services: string[]): string {
  const label = segment.label ?? labels.get(segment.id ?? segment.name.trim());
  const candidates = [label, segment.id, segment.name].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    const service = services.find((s) => key(s) === key(candidate));
    if (service) return service;
  }
  const first = candidates[0] ?? '';
  return words(first).join('-') || first.trim();
}

const FILLER = new Set([
  'service',
  'services',
  'svc',
  'microservice',
  'the',
  'api',
  'app',
  'server',
  'shop',
  'localhost',
]);
/** `OrderService (:8003)` -> `order`; `the notifications service` -> `notifications`. */
const words = (name: string) =>
  name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word && !FILLER.has(word) && !/^\d+$/.test(word));
const key = (name: string) =>
  words(name)
    .map((word) => word.replace(/s$/, ''))
    .join('-');

/** `Orders Service`, `orders-service`, `OrderService` and `Order` are all `orders`; other names become kebab-case. */
export function serviceName(name: string, services: string[]): string {
  return resolve({ name }, new Map(), services);
}

export const edgeText = (edge: Edge) => `${edge.from} --> ${edge.to}`;

/** `line 3: read as orders → user; line 5: read as orders → inventory`, or why nothing was read. */
export function describeReads(diagram: Diagram): string {
  if (diagram.reads.length === 0) return 'no line was read as an arrow';
  return diagram.reads
    .map((r) => `line ${r.line}: read as ${r.edges.map((e) => `${e.from} → ${e.to}`).join(', ')}`)
    .join('; ');
}
