import type { Figure, Measurement, Row, Target } from './types.js';

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const figure = (f: Figure) => `${number(f.value, f.value < 100 ? 2 : 0)} ${f.unit} (${f.label})`;

/** measured / baseline: above 1 means the measured side is faster (for rates) or larger. */
export const ratio = (row: Row) => (row.baseline ? row.measured.value / row.baseline.value : undefined);

export const targetText = (t: Target, unit: string) =>
  t.on === 'ratio'
    ? `${t.op === '>=' ? '≥' : '≤'} ${t.value}×`
    : `${t.op === '>=' ? '≥' : '≤'} ${t.value} ${unit}`;

export function met(row: Row): boolean | undefined {
  const { target } = row;
  if (!target) return undefined;
  const value = target.on === 'ratio' ? ratio(row) : row.measured.value;
  if (value === undefined) return false;
  return target.op === '>=' ? value >= target.value : value <= target.value;
}

/** An aligned Markdown table: readable in a terminal, pasteable into docs. */
export function table(headers: string[], rows: string[][]): string {
  const escaped = rows.map((r) => r.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = headers.map((h, i) => Math.max(h.length, ...escaped.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...escaped.map(line)].join('\n');
}

export function rowsTable(rows: Row[]): string {
  return table(
    ['name', 'measured', 'baseline', 'ratio', 'target', 'met?'],
    rows.map((row) => {
      const r = ratio(row);
      const ok = met(row);
      return [
        row.name,
        figure(row.measured),
        row.baseline ? figure(row.baseline) : '-',
        r === undefined ? '-' : `${number(r, 2)}×`,
        row.target ? targetText(row.target, row.measured.unit) : '-',
        ok === undefined ? '-' : ok ? 'yes' : 'NO',
      ];
    }),
  );
}

export function measurementsTable(measurements: Measurement[]): string {
  return table(
    ['target', 'throughput', 'p50', 'p99', 'note'],
    measurements.map((m) => [
      m.label,
      `${number(m.rps)} ${m.unit}`,
      `${number(m.p50, 2)} ms`,
      `${number(m.p99, 2)} ms`,
      m.note ?? '',
    ]),
  );
}
