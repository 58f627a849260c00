/** The line of a crashed program's output that says why: an error message (not a stack frame), else its last line. */
export function crashLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.findLast((line) => /error/i.test(line) && !/^at /.test(line)) ?? lines.at(-1) ?? 'no output';
}

/** The last lines of a program's output, cut short, led by its crash line: what it said before it gave up. */
export function lastLines(output: string, count = 3): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const why = crashLine(output);
  const tail = lines.slice(-count);
  const shown = tail.includes(why) ? tail : [why, '...', ...tail];
  return shown.map((line) => (line.length > 300 ? `${line.slice(0, 299)}…` : line)).join(' | ');
}
