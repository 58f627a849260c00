import elkLayouts from '@mermaid-js/layout-elk';
import mermaid from 'mermaid';
import { explainCall } from './api.js';
import {
  type EdgeView,
  edgeViews,
  FAULT_MARK,
  outsideViews,
  recentFailures,
  toArrows,
  toMermaid,
} from './diagram-text.js';
import { $, el, wireTabs } from './dom.js';
import type { Call, Fault, Graph, ServiceState } from './types.js';

export interface CallDiagram {
  update(graph?: Graph, services?: ServiceState[]): void;
  /** Calls the page saw: those from outside the town draw the customer's arrows. */
  seen(calls: Call[]): void;
  /** The calls were cleared: the customer's arrows go too (the observed edges come with the next graph). */
  cleared(): void;
  /** The fault lab's faults: their edges and services are marked ⚡. */
  setFaults(faults: Fault[]): void;
  /** Picks out the edges these calls went along (a failed check's calls), until the next pick or a clear. */
  highlight(calls: Call[]): void;
}

// The diagram's text asks for `layout: elk`; without this Mermaid would fall back to its own layout.
mermaid.registerLayoutLoaders(elkLayouts);
mermaid.initialize({
  startOnLoad: false,
  securityLevel: 'strict',
  theme: 'neutral',
  flowchart: { curve: 'basis', padding: 12 },
  // Where calls go round in a circle (an unexpected call back), ELK turns round the one found last from the customer,
  // so the town still reads from its entry. (Mermaid takes this from the page's config, not from the diagram's.)
  elk: { cycleBreakingStrategy: 'DEPTH_FIRST' },
});

/** The live diagram (Mermaid), its edges as a table, and the same diagram as text to copy. */
export function createCallDiagram(root: HTMLElement): CallDiagram {
  const box = $('.mermaid-box', root);
  const edgeRows = $('.edges tbody', root);
  const mermaidText = $('#mermaid-text', root);
  const arrowsText = $('#arrows-text', root);
  let graph: Graph = { expected: [], observed: [] };
  let services: ServiceState[] = [];
  let faults: Fault[] = [];
  const calledFromOutside = new Set<string>();
  /** Edges picked out (`orders->user`, `outside->user`): the calls of a failed check the learner asked to see. */
  let lit = new Set<string>();
  // Per edge between services: whether its latest call failed, and why the latest failed one did (read from the
  // API), so that the table says why an edge fails.
  const lastFailed = new Map<string, boolean>();
  const problems = new Map<string, { id: number; sentence?: string }>();
  let drawn = '';
  let drawing = false;
  let renders = 0;

  wireTabs(root);
  for (const button of root.querySelectorAll<HTMLButtonElement>('button.copy')) {
    button.addEventListener('click', async () => {
      const text = $(`#${button.dataset.copy}`, root).textContent ?? '';
      await navigator.clipboard.writeText(text).then(
        () => (button.textContent = 'copied'),
        () => (button.textContent = 'select and copy'),
      );
      setTimeout(() => (button.textContent = 'copy'), 1500);
    });
  }

  // Mermaid renders asynchronously; a burst of updates draws only the latest text. `data-drawn` says whether the
  // picture shows the text yet (what the browser tests and the screenshots wait for).
  const draw = async () => {
    if (drawing) return;
    drawing = true;
    try {
      while (mermaidText.textContent !== drawn) {
        const text = mermaidText.textContent ?? '';
        const { svg } = await mermaid.render(`call-diagram-${++renders}`, text);
        box.innerHTML = svg;
        drawn = text;
      }
    } catch (error) {
      box.replaceChildren(el('p', `could not draw the diagram: ${String(error)}`, { class: 'error' }));
    } finally {
      drawing = false;
      box.dataset.drawn = String(mermaidText.textContent === drawn);
    }
  };

  const edgeRow = (e: EdgeView) => {
    const row = el('tr', '', {
      'data-edge': `${e.from}->${e.to}`,
      'data-state': e.state,
      'data-failing': String(e.failing),
      'data-faulted': String(e.faulted),
    });
    row.append(
      el('td', `${e.faulted ? `${FAULT_MARK}: ` : ''}${e.from} → ${e.to}`),
      el('td', e.failing ? `${e.state}, ${recentFailures(e)}` : e.state),
      el('td', String(e.count)),
      // All the errors since the calls were last cleared: the state above says whether they are still happening.
      el('td', String(e.errors)),
      el('td', e.state === 'missing' ? '' : `${e.p50_ms} ms`),
    );
    return row;
  };

  /** Under an edge that fails (or whose latest call failed, a 404 say), why its latest failed call did. */
  const problemRow = (e: EdgeView): HTMLTableRowElement[] => {
    const key = `${e.from}->${e.to}`;
    const sentence = problems.get(key)?.sentence;
    if (!sentence || !(e.failing || lastFailed.get(key))) return [];
    const row = el('tr', '', { class: 'problem', 'data-problem-for': key });
    row.append(el('td', sentence, { colspan: '5' }));
    return [row];
  };

  /** Notes the calls' outcomes per edge, and asks why for each edge's latest failure; true if a row changes. */
  const noteProblems = (calls: Call[]) => {
    let changed = false;
    const latestFailure = new Map<string, number>();
    for (const call of calls) {
      if (call.caller === null) continue;
      const key = `${call.caller}->${call.callee}`;
      const failed = call.status === 0 || call.status >= 400;
      if (lastFailed.get(key) !== failed) changed = true;
      lastFailed.set(key, failed);
      if (failed) latestFailure.set(key, call.id);
    }
    for (const [key, id] of latestFailure) {
      // The previous sentence stays until this one is read: the row does not blink.
      problems.set(key, { id, sentence: problems.get(key)?.sentence });
      explainCall(id).then(
        (e) => {
          if (problems.get(key)?.id !== id) return;
          problems.set(key, { id, sentence: e.sentence });
          update();
        },
        () => {},
      );
    }
    return changed;
  };

  const update = (nextGraph?: Graph, nextServices?: ServiceState[]) => {
    if (nextGraph) graph = nextGraph;
    if (nextServices) services = nextServices;
    const edges = edgeViews(graph, faults).map((e) => ({ ...e, lit: lit.has(`${e.from}->${e.to}`) }));
    const outside = outsideViews(graph, calledFromOutside, faults).map((o) => ({
      ...o,
      lit: lit.has(`outside->${o.to}`),
    }));
    mermaidText.textContent = toMermaid(edges, services, outside, faults);
    arrowsText.textContent = toArrows(edges);
    edgeRows.replaceChildren(...edges.flatMap((e) => [edgeRow(e), ...problemRow(e)]));
    box.dataset.drawn = String(mermaidText.textContent === drawn);
    void draw();
  };

  return {
    update,
    seen(calls) {
      const before = calledFromOutside.size;
      for (const call of calls) if (call.caller === null) calledFromOutside.add(call.callee);
      const problemsChanged = noteProblems(calls);
      if (calledFromOutside.size !== before || problemsChanged) update();
    },
    cleared() {
      lit = new Set();
      calledFromOutside.clear();
      lastFailed.clear();
      problems.clear();
      update();
    },
    setFaults(next) {
      faults = next;
      update();
    },
    highlight(calls) {
      for (const call of calls) if (call.caller === null) calledFromOutside.add(call.callee);
      lit = new Set(calls.map((call) => `${call.caller ?? 'outside'}->${call.callee}`));
      update();
    },
  };
}
