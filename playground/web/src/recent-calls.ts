import { $, el } from './dom.js';
import type { Call } from './types.js';

/** How many calls the list shows (and the page asks the record for when it opens). */
export const KEEP = 12;

export interface RecentCalls {
  /** New calls, live or read from the record; a call already shown is not shown twice. */
  seen(calls: Call[]): void;
  /** The calls were cleared, here or on another page. */
  cleared(): void;
}

function callItem(call: Call): HTMLLIElement {
  const item = el('li', '', { 'data-status': String(call.status), 'data-id': String(call.id) });
  item.append(
    el('span', new Date(call.time).toLocaleTimeString([], { hour12: false }), { class: 'offset' }),
    el('span', `${call.caller ?? 'outside'} → ${call.callee}`, { class: 'edge' }),
    el('span', `${call.method} ${call.path}`, { class: 'request' }),
    el('span', String(call.status), {
      class: 'status',
      'data-ok': String(call.status > 0 && call.status < 400),
    }),
    el('span', `${call.duration_ms} ms`, { class: 'duration' }),
  );
  return item;
}

/**
 * The last few calls through the proxy, newest first (the order the proxy recorded them in), and the button that
 * clears the record.
 */
export function createRecentCalls(root: HTMLElement, onClear: () => void): RecentCalls {
  const list = $('ol.calls', root);
  $('button[name="clear"]', root).addEventListener('click', onClear);
  // The record read on load and the live batches may overlap: ids tell them apart, and order them.
  let shown: Call[] = [];

  const render = () => {
    list.replaceChildren(...shown.map(callItem));
    if (!shown.length) list.append(el('li', 'no calls yet: send one from the console', { class: 'empty' }));
  };
  render();

  return {
    seen(calls) {
      const known = new Set(shown.map((c) => c.id));
      const fresh = calls.filter((c) => !known.has(c.id));
      if (!fresh.length) return;
      shown = [...shown, ...fresh].sort((a, b) => b.id - a.id).slice(0, KEEP);
      render();
    },
    cleared() {
      shown = [];
      render();
    },
  };
}
