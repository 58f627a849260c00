import { $, el } from './dom.js';
import type { Call } from './types.js';

const KEEP = 12;

/** The last few calls through the proxy, newest first. */
export function createRecentCalls(root: HTMLElement): { seen(calls: Call[]): void } {
  const list = $('ol.calls', root);
  return {
    seen(calls) {
      for (const call of calls) {
        const item = el('li', '', { 'data-status': String(call.status) });
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
        list.prepend(item);
      }
      while (list.children.length > KEEP) list.lastElementChild?.remove();
    },
  };
}
