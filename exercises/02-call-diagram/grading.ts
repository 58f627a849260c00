import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Diagram, edgeText, parseDiagram } from '../grader/diagram.js';
import { eventually, fail, implementationDir, type Recording, task, test } from '../grader/grading.js';
import { TOWN, verdicts } from './verdicts.js';

const FILES = ['diagram.md', 'diagram.mmd', 'diagram.txt'];

/** The learner's diagram, with every name matched to a service of the town where it is one. */
function readDiagram(): Diagram & { file: string } {
  const file = FILES.map((name) => join(implementationDir, name)).find(existsSync);
  if (!file) fail(`no diagram: write ${FILES[0]} in ${implementationDir}`);
  return { ...parseDiagram(readFileSync(file, 'utf8'), TOWN), file };
}

/** What the playground saw when an order was placed: each call as `from --> to` with the request it made. */
async function observedCalls(
  api: (name: string) => { post(path: string): Promise<unknown> },
  playground: Recording,
) {
  await api('orders').post('/order?user_id=u1&item_id=item1');
  const calls = await eventually(
    () => playground.calls(),
    (seen) => seen.some((c) => c.callee === 'notification'),
  );
  const seen = new Map<string, string>();
  for (const call of calls) {
    if (call.caller)
      seen.set(edgeText({ from: call.caller, to: call.callee }), `${call.method} ${call.path.split('?')[0]}`);
  }
  return seen;
}

/** The diagram's verdicts, against what the playground saw; one grading reads the town once. */
let judged: Promise<Map<number, string>> | undefined;
const judge = (api: Parameters<typeof observedCalls>[0], playground: Recording) => {
  judged ??= (async () => {
    const diagram = readDiagram();
    return verdicts(diagram, relative(implementationDir, diagram.file), await observedCalls(api, playground));
  })();
  return judged;
};

const TITLES: Record<number, string> = {
  1: 'the file reads as a diagram with at least one arrow',
  2: 'the diagram has orders --> user',
  3: 'the diagram has orders --> inventory',
  4: 'the diagram has orders --> notification',
  5: 'every arrow between two services is a call the town makes',
};
for (const [id, title] of Object.entries(TITLES)) {
  task(Number(id), () => {
    test(title, async ({ api, playground }) => {
      const hint = (await judge(api, playground)).get(Number(id));
      if (hint) fail(hint);
    });
  });
}
