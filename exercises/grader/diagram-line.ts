/** One end of an arrow as written: `O[Orders Service]` is id `O`, label `Orders Service`; `User (:8001)` is a name. */
export interface Segment {
  name: string;
  id?: string;
  label?: string;
}

export interface LineArrows {
  edges: { from: Segment; to: Segment }[];
  /** The line joins two names without a direction (`orders --- user`). */
  undirected: boolean;
}

/**
 * Arrows, longest first: both ways, backward, forward, then undirected. A lone `--` (as in `npm run grade -- 02`)
 * is no arrow.
 */
const LINK = /(<-\.+->|<-+>|<=+>|↔|⟷|<-\.+-|<-+|<=+|←|⟵|⇐|-\.+->|-+>|=+>|→|⟶|⇒|⟹|-\.+-|-{3,}|={3,})/;
/** Mermaid's `A -- checks the user --> B` and `A -. later .-> B`: the text between is a label. */
const TEXT_LINK =
  /(^|[^-<=.])(--|==|-\.)\s+([^<>|]*?\S)\s+(-{2,}>|={2,}>|\.-+>|-{3,}|={3,}|\.-)(?=\s|\w|\[|$)/g;
/** How a Mermaid node's shape opens and closes: `[`, `((`, `{{`, `[(`, `>` ... and `]`, `))`, `}}`, `)]` ... */
export const SHAPE_OPEN = String.raw`\[\[|\[\(|\[\/|\[\\|\(\(|\(\[|\{\{|\[|\(|\{|>`;
export const SHAPE_CLOSE = String.raw`\]\]|\)\]|\/\]|\\\]|\)\)|\]\)|\}\}|\]|\)|\}`;
/** A Mermaid node: an id right before its shape, `O[Orders]`, `U(("User"))`, `I{{Inventory}}`. */
const MERMAID_NODE = new RegExp(
  String.raw`^([A-Za-z_][\w-]*)(${SHAPE_OPEN})\s*"?(.*?)"?\s*(${SHAPE_CLOSE})$`,
);
/** More words than a node name has: the line is a sentence that happens to hold an arrow. */
const MAX_WORDS = 4;

/** The arrows of one line of a drawing (a Mermaid statement, `A -> B : label`, a row of ASCII boxes). */
export function readLine(text: string): LineArrows {
  let line = text
    .trim()
    .replace(/^([-*+]|\d+[.)])\s+/, '')
    .replace(/\*\*|__/g, '');
  const boxRow = /^[|+]/.test(line);
  if (boxRow) line = line.replace(/[|+]/g, ' ');
  line = line.replace(
    TEXT_LINK,
    (_, before: string, _start, _label, end: string) => `${before} ${end.includes('>') ? '-->' : '---'} `,
  );

  const pieces = line.split(new RegExp(LINK.source));
  if (pieces.length < 3) return { edges: [], undirected: false };
  const segments: string[] = [];
  const links: string[] = [];
  pieces.forEach((piece, i) => {
    if (i % 2 === 1) links.push(piece);
    else segments.push(i > 0 && !boxRow ? piece.replace(/^\s*\|[^|]*\|/, '') : piece);
  });

  const nodes = segments.map((segment, i) =>
    splitTopLevel(cutLabels(segment, i === 0, i === segments.length - 1), '&').map(readNode),
  );
  if (nodes.some((group) => group.some((node) => node && words(node) > MAX_WORDS))) {
    return { edges: [], undirected: false };
  }
  const edges: LineArrows['edges'] = [];
  let undirected = false;
  links.forEach((link, i) => {
    const left = (nodes[i] ?? []).filter((n): n is Segment => n !== undefined);
    const right = (nodes[i + 1] ?? []).filter((n): n is Segment => n !== undefined);
    if (left.length === 0 || right.length === 0) return;
    const forward = /[>→⟶⇒⟹↔⟷]$/.test(link) || /[↔⟷]/.test(link);
    const backward = /^[<←⟵⇐↔⟷]/.test(link);
    if (!forward && !backward) undirected = true;
    for (const a of left) {
      for (const b of right) {
        if (forward) edges.push({ from: a, to: b });
        if (backward) edges.push({ from: b, to: a });
      }
    }
  });
  return { edges, undirected };
}

/**
 * `Orders -> User : GET /users/{id}`: what follows a colon after the last node is a label; `Step 1: Orders` before
 * the first node likewise. Ports (`user:8001`) and Mermaid classes (`:::big`) go first.
 */
function cutLabels(segment: string, first: boolean, last: boolean): string {
  let text = segment.replace(/:::[\w-]+/g, '').replace(/(\w):\d{2,5}\b/g, '$1');
  const colons = topLevel(text, ':');
  if (last && colons.length) text = text.slice(0, colons[0]);
  const before = topLevel(text, ':');
  if (first && before.length) text = text.slice((before.at(-1) ?? -1) + 1);
  return text.trim();
}

/** `text` cut at each `char` outside brackets and quotes: Mermaid's `;` between statements, `&` between nodes. */
export function splitTopLevel(text: string, char: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const cut of topLevel(text, char)) {
    parts.push(text.slice(start, cut));
    start = cut + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

/** Positions of `char` outside brackets and quotes. */
function topLevel(text: string, char: string): number[] {
  const found: number[] = [];
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if ('[({'.includes(c)) depth++;
    else if ('])}'.includes(c)) depth = Math.max(0, depth - 1);
    else if (c === char && depth === 0) found.push(i);
  }
  return found;
}

/** A node as written, or undefined for nothing (an empty side, a box border). */
function readNode(raw: string): Segment | undefined {
  const text = raw.trim().replace(/^["'`]+|["'`]+$/g, '');
  if (!/[A-Za-z]/.test(text)) return undefined;
  const mermaid = MERMAID_NODE.exec(text);
  if (mermaid) {
    const [, id = '', , label = ''] = mermaid;
    return { name: label || id, id, label: label.replace(/^["']|["']$/g, '') || undefined };
  }
  // `[ Orders ]`, `(User)`: a box around a name. `User (check user)`: a name and a remark.
  const boxed = /^[[({<]+\s*(.*?)\s*[\])}>]+$/.exec(text);
  if (boxed) return readNode(boxed[1] ?? '');
  const name = text.replace(/\s*[[({][^\])}]*[\])}]?/g, ' ').trim();
  return /[A-Za-z]/.test(name) ? { name } : undefined;
}

/** Mermaid nodes are diagram syntax whatever their label says; other names are counted in words. */
const words = (node: Segment) => (node.id ? 0 : node.name.split(/\s+/).filter(Boolean).length);
