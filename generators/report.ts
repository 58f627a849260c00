import { RECORD } from './record.js';
import type { GenerateResult } from './run.js';
import { addedLines } from './stage.js';

/** What a run did, as lines for the terminal: a headline, one line per file, then what to run next. */
export function report(result: GenerateResult, dryRun: boolean, note?: string): string[] {
  const { changes, folder } = result;
  const seconds = (result.ms / 1000).toFixed(2);
  if (changes.length === 0) return [...result.recovered, `${result.summary}: nothing to change in ${folder}`];
  const files = `${changes.length} file${changes.length === 1 ? '' : 's'}`;
  const [would, did] = result.generator === 'remove' ? ['would change', 'changed'] : ['would write', 'wrote'];
  const lines = [
    ...result.recovered,
    dryRun
      ? `dry run: ${result.summary} ${would} ${files} in ${folder}; nothing was written`
      : `${result.summary}: ${did} ${files} in ${folder} (${seconds} s)`,
  ];
  for (const change of changes) {
    const size = change.kind === 'create' ? ` (${change.text.split('\n').length - 1} lines)` : '';
    lines.push(`  ${change.kind} ${folder}/${change.path}${size}`);
    // The record's own lines say nothing a reader needs: the other files show what it records.
    if (dryRun && change.path !== RECORD) lines.push(...addedLines(change).map((line) => `      ${line}`));
  }
  if (!result.formatted)
    lines.push('note: biome is not installed, so the files are not formatted (npm install)');
  if (note) lines.push(note);
  if (!dryRun && result.next.length) lines.push('next:', ...result.next.map((line) => `  ${line}`));
  return lines;
}
