import type { Segment } from './diagram-line.js';

export interface VerticalEdge {
  from: Segment;
  to: Segment;
  /** The line of the arrow head. */
  line: number;
}

const DOWN = new Set(['v', 'V', '↓', '▼']);
const UP = new Set(['^', '↑', '▲']);
const BAR = new Set(['|', '│', '┃', '¦', ':']);
/** How many lines an arrow may span between a name and its head. */
const REACH = 6;

/**
 * Arrows drawn down the page: a name, a `|` under it (any number of lines, labels beside it are fine), a `v` under
 * that, and the name below; `^` points up. Columns tell which name a head belongs to, so several may stand side by
 * side.
 */
export function readVertical(lines: string[]): VerticalEdge[] {
  const edges: VerticalEdge[] = [];
  lines.forEach((text, index) => {
    for (const column of heads(text)) {
      const down = DOWN.has(text[column] ?? '');
      const above = nameNear(lines, index, column, -1);
      const below = nameNear(lines, index, column, +1);
      if (!above || !below) continue;
      edges.push(
        down ? { from: above, to: below, line: index + 1 } : { from: below, to: above, line: index + 1 },
      );
    }
  });
  return edges;
}

/** Columns of arrow heads standing alone: nothing but bars, spaces and other heads to their left. */
function heads(text: string): number[] {
  const found: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (!DOWN.has(c) && !UP.has(c)) continue;
    const alone = (text[i - 1] ?? ' ').trim() === '' && (text[i + 1] ?? ' ').trim() === '';
    const left = text.slice(0, i);
    if (alone && [...left].every((l) => l === ' ' || BAR.has(l) || DOWN.has(l) || UP.has(l))) found.push(i);
  }
  return found;
}

/** The name above (`step` -1) or below (+1) a head: bars are followed, the first name near the column ends it. */
function nameNear(lines: string[], from: number, column: number, step: -1 | 1): Segment | undefined {
  for (let i = from + step, n = 0; i >= 0 && i < lines.length && n < REACH; i += step, n++) {
    const text = lines[i] ?? '';
    const region = regions(text).find((r) => r.start - 2 <= column && column <= r.end + 1);
    if (region) return { name: region.name };
    const near = text.slice(Math.max(0, column - 1), column + 2);
    const passable = near.trim() === '' || [...near].some((c) => BAR.has(c) || DOWN.has(c) || UP.has(c));
    if (!passable && !/^[\s+\-=_]*$/.test(text)) return undefined;
  }
  return undefined;
}

/** Names in a line and where they stand: runs of words apart from box edges and wide gaps. */
function regions(text: string): { name: string; start: number; end: number }[] {
  const found: { name: string; start: number; end: number }[] = [];
  for (const match of text.matchAll(/[A-Za-z][\w-]*(?: [\w()-]+)*/g)) {
    const name = match[0].replace(/\s*\(.*$/, '').trim();
    const count = name.split(/\s+/).length;
    if (count > 4 || (name.length === 1 && (DOWN.has(name) || UP.has(name)))) continue;
    found.push({ name, start: match.index ?? 0, end: (match.index ?? 0) + match[0].length - 1 });
  }
  return found;
}
