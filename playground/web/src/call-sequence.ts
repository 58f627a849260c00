import { explainCall, getJson } from './api.js';
import { $, el } from './dom.js';
import { createTraceTakeaway } from './trace-takeaway.js';
import type { Call, Explanation, Order } from './types.js';

export interface CallSequence {
  refreshOrders(): Promise<void>;
  /** Lists the orders again and shows the calls of this one. */
  pick(orderId: string): Promise<void>;
  showTrace(traceId: string | null): Promise<void>;
  /** New calls arrived: redraw if they belong to the trace shown. */
  seen(calls: Call[]): void;
  /** The calls were cleared: the trace stays picked, and its calls recorded from now on still show. */
  cleared(): void;
}

const who = (caller: string | null) => caller ?? 'outside';

function orderLabel(order: Order): string {
  const parts = [`order ${order.id}`, `${order.user_id} · ${order.item_id} ×${order.quantity}`];
  if (order.status) parts.push(order.status);
  if (order.notification) parts.push(`notification ${order.notification}`);
  return parts.join(' · ');
}

const KINDS: Record<Explanation['kind'], string> = {
  wrong_url: 'wrong URL',
  wrong_payload: 'wrong payload shape',
  connection_refused: 'connection refused',
  timeout: 'timeout',
  caller_gave_up: 'timeout: caller gave up',
  server_error: 'server error',
  unhandled_4xx: 'unhandled 4xx',
  payload_warning: 'warning',
  ok: 'answered on purpose',
};

const failed = (call: Call) => call.status === 0 || call.status >= 400;
/** Failed calls are explained; so are those that sent a body: an accepted one may still have sent unknown fields. */
const explainable = (call: Call) => failed(call) || ['POST', 'PUT', 'PATCH'].includes(call.method);

/** Why a call failed: its kind, the sentence, the fix, and a wrong payload field by field. */
function whyItem(e: Explanation): HTMLElement {
  const box = el('div', '', { class: 'why', 'data-kind': e.kind });
  const said = el('p', '', { class: 'sentence' });
  said.append(el('strong', KINDS[e.kind], { class: 'kind' }), ` ${e.sentence}`);
  box.append(said);
  if (e.fix) box.append(el('p', `Fix: ${e.fix}`, { class: 'fix' }));
  if (e.details?.length) {
    const table = el('table', '', { class: 'fields', 'aria-label': 'fields sent and expected' });
    const head = el('tr');
    head.append(el('th', 'field'), el('th', 'sent'), el('th', 'expected'));
    table.append(head);
    for (const d of e.details) {
      const row = el('tr');
      row.append(el('td', d.field), el('td', d.sent), el('td', d.expected));
      table.append(row);
    }
    box.append(table);
  }
  return box;
}

/** Pick an order (or take the console's last request): its trace id, then every call of that trace in order. */
export function createCallSequence(root: HTMLElement): CallSequence {
  const picker = $<HTMLSelectElement>('select[name="order"]', root);
  const traceCode = $('.trace code', root);
  const list = $('ol.calls', root);
  const takeaway = createTraceTakeaway(root);
  let orders: Order[] = [];
  let traceId: string | null = null;
  // Explanations read so far, shown at once on the next redraw. A failed call's is read again: the caller's own
  // request, recorded after it, may change it (a 4xx handled or not).
  const explained = new Map<number, Explanation>();

  const explain = (call: Call, item: HTMLElement) => {
    const show = (e: Explanation) => {
      item.querySelector('.why')?.remove();
      if (e.kind !== 'ok' || failed(call)) item.append(whyItem(e));
    };
    const known = explained.get(call.id);
    if (known) show(known);
    if (known && !failed(call)) return;
    explainCall(call.id).then(
      (e) => {
        if (explained.size >= 500) explained.clear();
        explained.set(call.id, e);
        if (item.isConnected) show(e);
      },
      () => {},
    );
  };

  const render = (calls: Call[]) => {
    takeaway.show(traceId, calls);
    const first = calls[0]?.started_ms ?? 0;
    const end = Math.max(1, ...calls.map((c) => c.started_ms - first + c.duration_ms));
    list.replaceChildren(
      ...calls.map((call) => {
        const offset = call.started_ms - first;
        const item = el('li', '', { 'data-callee': call.callee, 'data-status': String(call.status) });
        const bar = el('span', '', { class: 'bar', 'aria-hidden': 'true' });
        bar.style.marginLeft = `${(offset / end) * 100}%`;
        bar.style.width = `${Math.max(0.5, (call.duration_ms / end) * 100)}%`;
        item.append(
          el('span', `+${offset.toFixed(1)} ms`, { class: 'offset' }),
          el('span', `${who(call.caller)} → ${call.callee}`, { class: 'edge' }),
          el('span', `${call.method} ${call.path}`, { class: 'request' }),
          el('span', String(call.status), {
            class: 'status',
            'data-ok': String(call.status > 0 && call.status < 400),
          }),
          el('span', `${call.duration_ms} ms`, { class: 'duration' }),
          el('span', '', { class: 'track' }),
        );
        item.lastElementChild?.append(bar);
        if (explainable(call)) explain(call, item);
        return item;
      }),
    );
    if (!calls.length)
      list.append(el('li', traceId ? 'no calls recorded for this trace (yet)' : '', { class: 'empty' }));
  };

  const showTrace = async (id: string | null) => {
    traceId = id;
    traceCode.textContent = id ?? 'none: this order has no trace_id';
    if (!id) return render([]);
    const { data } = await getJson<{ data: Call[] }>(`/api/calls?trace_id=${id}`);
    if (traceId === id) render(data);
  };

  picker.addEventListener('change', () => {
    const order = orders.find((o) => o.id === picker.value);
    if (order) void showTrace(order.trace_id ?? null);
  });
  $('button[name="refresh"]', root).addEventListener('click', () => void refreshOrders());

  let refreshTimer: number | undefined;
  const refreshOrders = async () => {
    const { data } = await getJson<{ data: Order[] }>('/api/services/orders/records/orders?last=20');
    orders = [...data].reverse();
    const chosen = picker.value;
    picker.replaceChildren(
      el('option', orders.length ? 'pick an order…' : 'no orders yet: place one from the console', {
        value: '',
      }),
      ...orders.map((o) => el('option', orderLabel(o), { value: o.id })),
    );
    picker.value = orders.some((o) => o.id === chosen) ? chosen : '';
  };

  return {
    refreshOrders,
    async pick(orderId) {
      await refreshOrders();
      const order = orders.find((o) => o.id === orderId);
      if (!order) return;
      picker.value = order.id;
      await showTrace(order.trace_id ?? null);
    },
    showTrace,
    seen(calls) {
      if (traceId && calls.some((c) => c.trace_id === traceId)) void showTrace(traceId);
      // Orders calling out may have changed an order (its notification sent): list them again, once.
      if (calls.some((c) => c.caller === 'orders')) {
        clearTimeout(refreshTimer);
        refreshTimer = window.setTimeout(() => void refreshOrders().catch(() => {}), 300);
      }
    },
    cleared() {
      explained.clear();
      render([]);
    },
  };
}
