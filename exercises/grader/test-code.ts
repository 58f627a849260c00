import { readFileSync } from 'node:fs';
import ts from 'typescript';

const files = new Map<string, ts.SourceFile>();

function parsed(file: string): ts.SourceFile {
  let source = files.get(file);
  if (!source) {
    source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    files.set(file, source);
  }
  return source;
}

/**
 * The source text of the call that starts at `line`:`column` (1-based, as Playwright gives a test's location): the
 * whole `test('…', async () => { … })`, for Exercism's `test_code`. Undefined when the file cannot be read.
 */
export function sourceOfCall(file: string, line: number, column: number): string | undefined {
  let source: ts.SourceFile;
  try {
    source = parsed(file);
  } catch {
    return undefined;
  }
  const at = source.getPositionOfLineAndCharacter(line - 1, column - 1);
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  // The call that starts exactly there, else the first that starts on that line.
  let exact: ts.Node | undefined;
  let onLine: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if (exact || node.getEnd() <= at - source.getLineAndCharacterOfPosition(at).character) return;
    if (ts.isCallExpression(node)) {
      if (node.getStart(source) === at) exact = node;
      else if (!onLine && lineOf(node) === line) onLine = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return (exact ?? onLine)?.getText(source);
}
