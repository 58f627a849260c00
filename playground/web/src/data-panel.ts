import { $, el, wireTabs } from './dom.js';
import type { ServiceData, ServiceState } from './types.js';

export interface DataPanel {
  /** The services' states as probed: new services join the picker; the one shown is read again when it changed. */
  update(states: ServiceState[]): void;
}

/** A big collection would make a long page; the JSON tab still has every record. */
const MAX_ROWS = 200;

/** The API's `{"detail": ...}`, as one line to show. */
async function failure(response: Response): Promise<Error> {
  const body = (await response.json().catch(() => ({}))) as { detail?: unknown };
  const detail =
    typeof body.detail === 'string' ? body.detail : JSON.stringify(body.detail ?? response.statusText);
  return new Error(`${response.status}: ${detail}`);
}

async function readData(service: string): Promise<ServiceData> {
  const response = await fetch(`/api/services/${encodeURIComponent(service)}/data`);
  if (!response.ok) throw await failure(response);
  return (await response.json()) as ServiceData;
}

async function reset(service: string | undefined): Promise<void> {
  const path = service ? `/api/services/${encodeURIComponent(service)}/reset` : '/api/reset';
  const response = await fetch(path, { method: 'POST' });
  if (!response.ok) throw await failure(response);
}

const cell = (value: unknown) =>
  value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/** Columns are the records' keys, in the order they first appear: a record without one leaves its cell empty. */
function recordsTable(name: string, records: unknown[]): HTMLTableElement {
  const rows = records.map((r) =>
    typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : { value: r },
  );
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const table = el('table', '', { class: 'records-table', 'aria-label': name, 'data-collection': name });
  const head = el('tr');
  head.append(...columns.map((c) => el('th', c, { scope: 'col' })));
  const body = el('tbody');
  body.append(
    ...rows.slice(0, MAX_ROWS).map((r) => {
      const row = el('tr');
      row.append(...columns.map((c) => el('td', cell(r[c]))));
      return row;
    }),
  );
  table.append(el('thead'), body);
  table.tHead?.append(head);
  return table;
}

function collectionView(name: string, records: unknown[]): HTMLElement {
  const view = el('div', '', { class: 'collection' });
  view.append(el('h3', `${name} (${records.length})`));
  if (records.length === 0) view.append(el('p', `no ${name}`, { class: 'empty' }));
  else view.append(recordsTable(name, records));
  if (records.length > MAX_ROWS) {
    view.append(
      el('p', `the first ${MAX_ROWS} of ${records.length}: the JSON file has them all`, { class: 'empty' }),
    );
  }
  return view;
}

/**
 * The Data card: a service's data file collection by collection, and as the file's text; reset one service or the
 * whole town to the seed data, each after a confirmation in the page (a dialog the browser tests can click).
 */
export function createDataPanel(root: HTMLElement): DataPanel {
  const picker = $<HTMLSelectElement>('select[name="service"]', root);
  const file = $('.data-file code', root);
  const status = $('.data-status', root);
  const outcome = $('.reset-status', root);
  const tables = $('[data-panel="tables"]', root);
  const text = $('[data-panel="file"] pre', root);
  const dialog = $<HTMLDialogElement>('dialog', root);
  const question = $('.question', dialog);
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('button[name^="reset"]')];
  let names: string[] = [];
  let seen = ''; // the shown service's health and record counts when it was last read
  let loads = 0;
  let catchUp: ReturnType<typeof setTimeout> | undefined; // a reload once the file holds what its journal holds

  // The file's state and a reset's outcome apart: the reads a reset sets off must not hide how it went.
  const say = (line: string, kind: 'note' | 'error' = 'note', where = status) => {
    where.textContent = line;
    where.dataset.kind = kind;
  };

  const load = async () => {
    const service = picker.value;
    const mine = ++loads; // a slower earlier answer must not replace a later one
    try {
      const data = await readData(service);
      if (mine !== loads) return;
      file.textContent = data.file;
      text.textContent = data.exists ? data.text : '(no file yet)';
      const collections = Object.entries(data.collections);
      tables.replaceChildren(...collections.map(([name, records]) => collectionView(name, records)));
      if (!data.exists) say(`no data file yet: ${service} writes its seed data when it starts`);
      else if (data.pending > 0) {
        say(
          `the file is ${data.pending} write(s) behind the tables: ${service}'s journal holds them until it rewrites the file, half a second after the last write`,
        );
        clearTimeout(catchUp);
        catchUp = setTimeout(() => void load(), 700);
      } else if (collections.length === 0) say('no collections in this file');
      else say('');
    } catch (error) {
      if (mine !== loads) return;
      tables.replaceChildren();
      text.textContent = '';
      say(String((error as Error).message), 'error');
    }
  };

  wireTabs(root);

  picker.addEventListener('change', () => {
    seen = '';
    void load();
  });
  $<HTMLButtonElement>('button[name="refresh"]', root).addEventListener('click', () => void load());

  /** Resolves true when the learner chose Reset; Cancel or Escape is no. */
  const confirmed = (line: string) =>
    new Promise<boolean>((resolve) => {
      question.textContent = line;
      dialog.returnValue = '';
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'reset'), { once: true });
      dialog.showModal();
    });
  for (const button of dialog.querySelectorAll<HTMLButtonElement>('button[value]')) {
    button.addEventListener('click', () => dialog.close(button.value));
  }

  const resetWith = async (service: string | undefined) => {
    const what = service ?? `every service (${names.join(', ')})`;
    if (!(await confirmed(`Reset ${what} to its seed data? Every record added since is lost.`))) return;
    for (const button of buttons) button.disabled = true;
    say(`resetting ${what}…`, 'note', outcome);
    try {
      await reset(service);
      await load();
      say(`${service ?? 'the whole town'}: back to the seed data`, 'note', outcome);
    } catch (error) {
      say(String((error as Error).message), 'error', outcome);
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  };
  $<HTMLButtonElement>('button[name="reset-service"]', root).addEventListener(
    'click',
    () => picker.value && void resetWith(picker.value),
  );
  $<HTMLButtonElement>('button[name="reset-town"]', root).addEventListener(
    'click',
    () => void resetWith(undefined),
  );

  return {
    update(states) {
      const next = states.map((s) => s.name);
      if (next.join() !== names.join()) {
        const chosen = picker.value;
        names = next;
        picker.replaceChildren(...names.map((name) => el('option', name, { value: name })));
        picker.value = names.includes(chosen) ? chosen : (names[0] ?? '');
      }
      const shown = states.find((s) => s.name === picker.value);
      if (!shown) return;
      // A record count changed, or the service came back (a restart, a reset): the file is worth reading again.
      const now = JSON.stringify([shown.health, shown.records]);
      if (now === seen) return;
      seen = now;
      void load();
    },
  };
}
