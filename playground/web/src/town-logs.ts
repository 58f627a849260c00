import { getJson } from './api.js';
import { $, el } from './dom.js';
import type { LogEntry, LogLevel, ServiceChange, TownEvent, TownState } from './types.js';

/** Lines the panel holds; older ones scroll out (the playground keeps more, `GET /api/logs`). */
const SHOWN = 300;
const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
/** A reload's note stays this long; a crash's until the service is up again. */
const NOTE_MS = 8000;

export interface TownLogs {
  /** What `npm start` said since: log lines, reloads, crashes. */
  seen(events: TownEvent[]): void;
  /** The services' names, for the filter. */
  setServices(names: string[]): void;
}

const time = (iso: string) => iso.slice(11, 19);

function lineItem(entry: LogEntry, showTrace: (traceId: string) => void): HTMLLIElement {
  const item = el('li', '', { 'data-level': entry.level, 'data-service': entry.service });
  item.append(
    el('span', time(entry.time), { class: 'time' }),
    el('span', entry.service, { class: 'service' }),
  );
  item.append(el('span', entry.level, { class: 'level' }));
  if (entry.method && entry.path) {
    item.append(
      el('span', `${entry.method} ${entry.path}`, { class: 'request' }),
      el('span', String(entry.status ?? '-'), {
        class: 'status',
        'data-ok': String((entry.status ?? 0) > 0 && (entry.status ?? 0) < 400),
      }),
      el('span', entry.duration_ms === undefined ? '' : `${entry.duration_ms} ms`, { class: 'duration' }),
    );
    const traceId = entry.trace_id;
    if (traceId) {
      const link = el('button', `trace ${traceId.slice(0, 8)}`, { type: 'button', class: 'link trace-link' });
      link.addEventListener('click', () => showTrace(traceId));
      item.append(link);
    }
  } else item.append(el('span', entry.text, { class: 'text' }));
  return item;
}

/** The words a service's change is shown with, at the top of the page. */
function noteOf(
  change: ServiceChange,
): { text: string; kind: 'reloaded' | 'crashed' | 'starting' } | undefined {
  if (change.state === 'up' && change.file)
    return { text: `${change.service} reloaded (${change.file})`, kind: 'reloaded' };
  if (change.state === 'starting' && change.file)
    return { text: `${change.service} restarting (${change.file} changed)…`, kind: 'starting' };
  if (change.state === 'crashed')
    return {
      text: `${change.service} is down: ${change.reason ?? 'it exited'}. Fix it and save: it starts again.`,
      kind: 'crashed',
    };
  return undefined;
}

/**
 * The services' logs as `npm start` read them (filter by service and level; a request's trace opens its calls), and
 * a note at the top of the page when a service reloads on a save or crashes.
 */
export function createTownLogs(
  root: HTMLElement,
  notes: HTMLElement,
  showTrace: (traceId: string) => void,
): TownLogs {
  const list = $('ol.logs', root);
  const service = $<HTMLSelectElement>('select[name="service"]', root);
  const level = $<HTMLSelectElement>('select[name="level"]', root);
  const status = $('.logs-status', root);
  let lines: LogEntry[] = [];
  const timers = new Map<string, number>();

  const matches = (entry: LogEntry) =>
    (!service.value || entry.service === service.value) &&
    LEVELS.indexOf(entry.level) >= LEVELS.indexOf(level.value as LogLevel);
  const render = () => {
    const shown = lines.filter(matches).slice(-SHOWN);
    list.replaceChildren(...shown.map((entry) => lineItem(entry, showTrace)));
    list.scrollTop = list.scrollHeight;
  };
  service.addEventListener('change', render);
  level.addEventListener('change', render);

  const note = (change: ServiceChange) => {
    const shown = noteOf(change);
    const id = `note-${change.service}`;
    document.getElementById(id)?.remove();
    window.clearTimeout(timers.get(change.service));
    if (!shown) return;
    const item = el('p', shown.text, { id, class: 'note', 'data-kind': shown.kind, role: 'status' });
    notes.append(item);
    if (shown.kind === 'reloaded')
      timers.set(
        change.service,
        window.setTimeout(() => item.remove(), NOTE_MS),
      );
  };

  const joined = (service: string, url: string) => {
    const item = el('p', `${service} joined the town (${url}); the others see it once they restart`, {
      class: 'note',
      'data-kind': 'reloaded',
      role: 'status',
    });
    notes.append(item);
    window.setTimeout(() => item.remove(), NOTE_MS);
  };

  void getJson<TownState>('/api/town')
    .then((town) => {
      if (!town.supervised) {
        status.textContent = 'The services’ logs show here when the town runs under npm start.';
        return;
      }
      for (const change of town.states) if (change.state === 'crashed') note(change);
      return getJson<{ data: LogEntry[] }>('/api/logs?limit=1000').then(({ data }) => {
        lines = [...data, ...lines].slice(-1000);
        render();
      });
    })
    .catch(() => {});

  return {
    seen(events) {
      const fresh = events.flatMap((e) => (e.type === 'log' ? [e.entry] : []));
      for (const change of events) {
        if (change.type === 'state') note(change);
        if (change.type === 'service') joined(change.service, change.url);
      }
      if (!fresh.length) return;
      lines = [...lines, ...fresh].slice(-1000);
      render();
    },
    setServices(names) {
      const current = [...service.options].map((o) => o.value).filter(Boolean);
      if (current.join() === names.join()) return;
      const chosen = service.value;
      service.replaceChildren(
        el('option', 'every service', { value: '' }),
        ...names.map((n) => el('option', n)),
      );
      service.value = names.includes(chosen) ? chosen : '';
    },
  };
}
