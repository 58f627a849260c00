import mermaid from 'mermaid';
import { edgeViews, toArrows, toMermaid } from './diagram-text.js';
import { $, el } from './dom.js';
import type { Graph, ServiceState } from './types.js';

export interface CallDiagram {
  update(graph?: Graph, services?: ServiceState[]): void;
}

mermaid.initialize({
  startOnLoad: false,
  securityLevel: 'strict',
  theme: 'neutral',
  flowchart: { curve: 'basis', padding: 12 },
});

/** The live diagram (Mermaid), its edges as a table, and the same diagram as text to copy. */
export function createCallDiagram(root: HTMLElement): CallDiagram {
  const box = $('.mermaid-box', root);
  const edgeRows = $('.edges tbody', root);
  const mermaidText = $('#mermaid-text', root);
  const arrowsText = $('#arrows-text', root);
  let graph: Graph = { expected: [], observed: [] };
  let services: ServiceState[] = [];
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

  // Mermaid renders asynchronously; a burst of updates draws only the latest text.
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
    }
  };

  return {
    update(nextGraph, nextServices) {
      if (nextGraph) graph = nextGraph;
      if (nextServices) services = nextServices;
      const edges = edgeViews(graph);
      mermaidText.textContent = toMermaid(edges, services);
      arrowsText.textContent = toArrows(edges);
      edgeRows.replaceChildren(
        ...edges.map((e) => {
          const row = el('tr', '', { 'data-edge': `${e.from}->${e.to}`, 'data-state': e.state });
          row.append(
            el('td', `${e.from} → ${e.to}`),
            el('td', e.state === 'missing' ? 'missing' : e.state),
            el('td', String(e.count)),
            el('td', String(e.errors)),
            el('td', e.state === 'missing' ? '' : `${e.p50_ms} ms`),
          );
          return row;
        }),
      );
      void draw();
    },
  };
}
