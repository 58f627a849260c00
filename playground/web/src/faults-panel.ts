import { $, el } from './dom.js';
import type { Fault, FaultSpec, ServiceState } from './types.js';

/** What `from` says for calls with no x-caller (the console, curl): see playground/server/faults.ts. */
const OUTSIDE = 'outside';

/** The API's `{"detail": ...}` as one line: a 422's list reads `field: message`. */
async function failure(response: Response): Promise<Error> {
  const body = (await response.json().catch(() => ({}))) as { detail?: unknown };
  const detail = Array.isArray(body.detail)
    ? body.detail
        .map((d: { loc?: unknown[]; msg?: string }) => `${d.loc?.slice(1).join('.')}: ${d.msg}`)
        .join('; ')
    : String(body.detail ?? response.statusText);
  return new Error(`${response.status}: ${detail}`);
}

async function send(method: 'POST' | 'DELETE', path: string, body?: FaultSpec): Promise<void> {
  const response = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw await failure(response);
}

const retryText = (seconds: number | undefined) =>
  seconds === undefined ? '' : `, Retry-After ${seconds} s`;

function kindText(fault: Fault): string {
  switch (fault.kind) {
    case 'error':
      return `error ${fault.status}${retryText(fault.retry_after_s)}`;
    case 'delay':
      return `delay ${fault.delay_ms} ms${fault.jitter_ms ? ` + up to ${fault.jitter_ms} ms` : ''}`;
    case 'hang':
      return 'hang (never answers)';
    case 'reset':
      return 'connection reset';
    case 'fail_first':
      return `first ${fault.n} fail with ${fault.status}${retryText(fault.retry_after_s)}`;
  }
}

/** e.g. `orders → inventory · error 503 · POST /orders · 30 %`. */
export function describeFault(fault: Fault): string {
  const scope = fault.from ? `${fault.from} → ${fault.to}` : `${fault.to} (any caller)`;
  const match = [fault.method, fault.path].filter(Boolean).join(' ');
  const share = fault.percent === 100 ? '' : `${fault.percent} %`;
  return [scope, kindText(fault), match, share].filter(Boolean).join(' · ');
}

const hitsText = (fault: Fault) =>
  fault.kind === 'fail_first'
    ? `${fault.hits} of ${fault.n} failed`
    : `${fault.hits} hit${fault.hits === 1 ? '' : 's'}`;

/** The form's fields as a fault: a field left empty (or hidden for this kind) is the server's default. */
function specOf(form: HTMLFormElement): FaultSpec {
  const data = new FormData(form);
  const text = (name: string) => {
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    const value = String(data.get(name) ?? '').trim();
    return field?.closest<HTMLElement>('.field')?.hidden || value === '' ? undefined : value;
  };
  const number = (name: string) => (text(name) === undefined ? undefined : Number(text(name)));
  const spec = {
    kind: text('kind'),
    from: text('scope') === 'edge' ? text('from') : undefined,
    to: text('to'),
    status: number('status'),
    retry_after_s: number('retry_after_s'),
    n: number('n'),
    delay_ms: number('delay_ms'),
    jitter_ms: number('jitter_ms'),
    method: text('method'),
    path: text('path'),
    percent: number('percent'),
  };
  // Left out rather than sent as null: the API's schemas are strict.
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as FaultSpec;
}

/** Keeps a select's choice while its options change (a service joins the town). */
function setOptions(select: HTMLSelectElement, values: string[]) {
  const chosen = select.value;
  if ([...select.options].map((o) => o.value).join() === values.join()) return;
  select.replaceChildren(...values.map((v) => el('option', v, { value: v })));
  if (values.includes(chosen)) select.value = chosen;
}

/**
 * The fault lab's card: a form that sets a fault on a service or an edge, the faults set with their hits, and
 * "clear all". Kept current by the server-sent event `faults`; `shown` hears every list (the diagram marks them).
 */
export function createFaultsPanel(
  root: HTMLElement,
  events: EventSource,
  shown: (faults: Fault[]) => void,
): void {
  const form = $<HTMLFormElement>('form', root);
  const list = $('ul.faults', root);
  const status = $('.faults-status', root);
  const field = (name: string) => $<HTMLSelectElement>(`[name="${name}"]`, form);

  // Only the fields the chosen scope and kind use are shown (and sent).
  const showFields = () => {
    const kind = field('kind').value;
    for (const f of form.querySelectorAll<HTMLElement>('[data-kinds]')) {
      f.hidden = !(f.dataset.kinds ?? '').split(' ').includes(kind);
    }
    $('[data-scope="edge"]', form).hidden = field('scope').value !== 'edge';
  };
  form.addEventListener('change', showFields);
  showFields();

  const report = (error: unknown) => {
    status.textContent = String(error instanceof Error ? error.message : error);
    status.dataset.kind = 'error';
  };
  const done = (text: string) => {
    status.textContent = text;
    status.dataset.kind = 'ok';
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const spec = specOf(form);
    send('POST', '/api/faults', spec).then(() => done('fault set'), report);
  });
  $('button[name="clear"]', root).addEventListener('click', () => {
    send('DELETE', '/api/faults').then(() => done('every fault removed'), report);
  });

  const item = (fault: Fault) => {
    const li = el('li', '', { class: 'fault', 'data-fault': fault.id, 'data-kind': fault.kind });
    const remove = el('button', 'remove', {
      type: 'button',
      class: 'link',
      'aria-label': `remove fault ${fault.id}`,
    });
    remove.addEventListener('click', () => {
      send('DELETE', `/api/faults/${encodeURIComponent(fault.id)}`).then(
        () => done(`${fault.id} removed`),
        report,
      );
    });
    li.append(
      el('span', describeFault(fault), { class: 'what' }),
      el('span', hitsText(fault), { class: 'hits' }),
      remove,
    );
    return li;
  };

  events.addEventListener('faults', (event) => {
    const faults = JSON.parse((event as MessageEvent).data) as Fault[];
    list.replaceChildren(
      ...(faults.length
        ? faults.map(item)
        : [el('li', 'no faults: every call passes', { class: 'no-faults' })]),
    );
    shown(faults);
  });
  events.addEventListener('services', (event) => {
    const names = (JSON.parse((event as MessageEvent).data) as ServiceState[]).map((s) => s.name);
    setOptions(field('from'), [...names, OUTSIDE]);
    setOptions(field('to'), names);
  });
}
