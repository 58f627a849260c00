import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Diagram, type Edge, edgeText, parseDiagram, serviceName } from '../grader/diagram.ts';
import { fail, implementationDir, type Recording, task, test } from '../grader/grading.ts';

const TOWN = ['user', 'inventory', 'orders', 'notification'];
const FILES = ['diagram.md', 'diagram.mmd', 'diagram.txt'];

/** The learner's diagram, with every name matched to a service of the town where it is one. */
function readDiagram(): Diagram & { file: string } {
  const file = FILES.map((name) => join(implementationDir, name)).find(existsSync);
  if (!file) fail(`no diagram: write ${FILES[0]} in ${implementationDir}`);
  const diagram = parseDiagram(readFileSync(file, 'utf8'));
  const edges = diagram.edges.map((e) => ({ from: serviceName(e.from, TOWN), to: serviceName(e.to, TOWN) }));
  return { ...diagram, edges, file };
}

/** What the playground saw when an order was placed: each call as `from --> to` with the request it made. */
async function observedCalls(
  api: (name: string) => { post(path: string): Promise<unknown> },
  playground: Recording,
) {
  await api('orders').post('/order?user_id=u1&item_id=item1');
  const deadline = Date.now() + 10_000;
  let calls = await playground.calls();
  while (!calls.some((c) => c.callee === 'notification') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    calls = await playground.calls();
  }
  const seen = new Map<string, string>();
  for (const call of calls) {
    if (call.caller)
      seen.set(edgeText({ from: call.caller, to: call.callee }), `${call.method} ${call.path.split('?')[0]}`);
  }
  return seen;
}

const has = (edges: Edge[], edge: Edge) => edges.some((e) => e.from === edge.from && e.to === edge.to);

task(1, () => {
  test('the file reads as a diagram with at least one arrow', async () => {
    const { edges, problems, file } = readDiagram();
    if (problems.length) fail(`${file}: ${problems[0]}`);
    if (edges.length === 0)
      fail(`${file} has no arrow: write lines like "orders --> user" (a Mermaid graph or plain text)`);
  });
});

const expected: [number, Edge, string][] = [
  [2, { from: 'orders', to: 'user' }, 'before it takes an order, orders asks user whether the user exists'],
  [3, { from: 'orders', to: 'inventory' }, 'orders asks inventory to reserve the stock it sells'],
  [4, { from: 'orders', to: 'notification' }, 'orders asks notification to send the confirmation'],
];
for (const [id, edge, why] of expected) {
  task(id, () => {
    test(`the diagram has ${edgeText(edge)}`, async ({ api, playground }) => {
      const { edges } = readDiagram();
      if (has(edges, edge)) return;
      const seen = (await observedCalls(api, playground)).get(edgeText(edge));
      const reversed = has(edges, { from: edge.to, to: edge.from })
        ? ` (your arrow points the other way)`
        : '';
      const evidence = seen
        ? `; the playground saw orders call ${seen} on ${edge.to} when an order was placed`
        : '';
      fail(`missing the arrow ${edgeText(edge)}${reversed}: ${why}${evidence}`);
    });
  });
}

task(5, () => {
  test('every arrow between two services is a call the town makes', async ({ api, playground }) => {
    const between = readDiagram().edges.filter((e) => TOWN.includes(e.from) && TOWN.includes(e.to));
    if (between.length === 0) fail('no arrow between two services of the town yet');
    const seen = await observedCalls(api, playground);
    const extra = between.filter((e) => !seen.has(edgeText(e)));
    if (extra.length) {
      const observed = [...seen.keys()].join(', ') || 'nothing';
      fail(
        `extra ${extra.length === 1 ? 'arrow' : 'arrows'} ${extra.map(edgeText).join(', ')}: when an order is placed the playground sees only ${observed}`,
      );
    }
  });
});
