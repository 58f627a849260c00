/** How a command's `main` prints: one line at a time, to standard output or to standard error. */
export interface LineIo {
  out: (line: string) => void;
  err: (line: string) => void;
  root?: string;
}

/** Runs a command's `main(argv, io)` in this process, on the project at `root`: its exit code and what it printed. */
export async function runMain(
  main: (argv: string[], io: LineIo) => Promise<number>,
  root: string,
  argv: string[],
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line), root });
  return { code, out, err };
}
