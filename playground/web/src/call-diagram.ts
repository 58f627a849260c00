import elkLayouts from '@mermaid-js/layout-elk';
import mermaid from 'mermaid';
import {
  type EdgeView,
  edgeViews,
  outsideViews,
  recentFailures,
  toArrows,
  toMermaid,
} from './diagram-text.js';
import { $, el } from './dom.js';
import type { Call, Graph, ServiceState } from './types.js';

export interface CallDiagram {
  update(graph?: Graph, services?: ServiceState[]): void;
  /** Calls the page saw: those from outside the town draw the customer's arrows. */
  seen(calls: Call[]): void;
  /** The calls were cleared: the customer's arrows go too (the observed edges come with the next graph). */
  cleared(): void;
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
  const calledFromOutside = new Set<string>();
  let drawn = '';
  let drawing = false;
  let renders = 0;

  for (const tab of root.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    tab.addEventListener('click', () => {
      for (const other of root.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
        other.setAttribute('aria-selected', String(other === tab));
      }
      for (const panel of root.querySelectorAll<HTMLElement>('[data-panel]')) {
        panel.hidden = panel.dataset.panel !== tab.dataset.tab;
      }
    });
  }
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
    });
    row.append(
      el('td', `${e.from} → ${e.to}`),
      el('td', e.failing ? `${e.state}, ${recentFailures(e)}` : e.state),
      el('td', String(e.count)),
      // All the errors since the calls were last cleared: the state above says whether they are still happening.
      el('td', String(e.errors)),
      el('td', e.state === 'missing' ? '' : `${e.p50_ms} ms`),
    );
    return row;
  };

  const update = (nextGraph?: Graph, nextServices?: ServiceState[]) => {
    if (nextGraph) graph = nextGraph;
    if (nextServices) services = nextServices;
    const edges = edgeViews(graph);
    mermaidText.textContent = toMermaid(edges, services, outsideViews(graph, calledFromOutside));
    arrowsText.textContent = toArrows(edges);
    edgeRows.replaceChildren(...edges.map(edgeRow));
    box.dataset.drawn = String(mermaidText.textContent === drawn);
    void draw();
  };

  return {
    update,
    seen(calls) {
      const before = calledFromOutside.size;
      for (const call of calls) if (call.caller === null) calledFromOutside.add(call.callee);
      if (calledFromOutside.size !== before) update();
    },
    cleared() {
      calledFromOutside.clear();
      update();
    },
  };
}
