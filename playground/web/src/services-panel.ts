import { $, el } from './dom.js';
import type { ServiceState, Switch } from './types.js';

export interface ServicesPanel {
  update(states: ServiceState[]): void;
}

const MODES = ['normal', 'slow', 'down'] as const;

/** What the health cell says: the probe's answer, unless the switch makes the proxy answer otherwise. */
function health(state: ServiceState): { kind: 'up' | 'down' | 'off' | 'slow'; text: string } {
  if (state.health === 'down') return { kind: 'down', text: 'down' };
  if (state.switch.mode === 'down') return { kind: 'off', text: 'switched off' };
  if (state.switch.mode === 'slow') return { kind: 'slow', text: `slow +${state.switch.delay_ms} ms` };
  return { kind: 'up', text: 'up' };
}

/** One row per service: health, port, record counts and its switch. Rows are updated in place, keeping focus. */
export function createServicesPanel(
  root: HTMLElement,
  onSwitch: (service: string, value: Switch) => void,
): ServicesPanel {
  const body = $('tbody', root);
  const delay = $<HTMLInputElement>('#slow-delay', root);
  const rows = new Map<string, HTMLTableRowElement>();

  const createRow = (state: ServiceState) => {
    const row = el('tr', '', { 'data-service': state.name });
    const name = el('th', '', { scope: 'row' });
    name.append(
      el('a', state.name, { href: `/svc/${state.name}/docs`, target: '_blank', title: 'its API docs' }),
    );
    const switches = el('td', '', { class: 'switch' });
    for (const mode of MODES) {
      const button = el('button', mode, { type: 'button', 'data-mode': mode, 'aria-pressed': 'false' });
      button.setAttribute('aria-label', `${state.name}: ${mode}`);
      button.addEventListener('click', () => {
        const ms = Math.min(30_000, Math.max(1, Math.round(Number(delay.value)) || 1000));
        onSwitch(state.name, mode === 'slow' ? { mode, delay_ms: ms } : { mode });
      });
      switches.append(button);
    }
    row.append(
      name,
      el('td', '', { class: 'health' }),
      el('td', '', { class: 'port' }),
      el('td', '', { class: 'records' }),
      switches,
    );
    body.append(row);
    rows.set(state.name, row);
    return row;
  };

  return {
    update(states) {
      for (const state of states) {
        const row = rows.get(state.name) ?? createRow(state);
        row.dataset.health = state.health;
        row.dataset.switch = state.switch.mode;
        const { kind, text } = health(state);
        $('.health', row).textContent = text;
        $('.health', row).dataset.state = kind;
        $('.port', row).textContent = String(state.port);
        const records = Object.entries(state.records);
        $('.records', row).textContent = records.length
          ? records.map(([list, n]) => `${list}: ${n ?? '?'}`).join(', ')
          : '–';
        // A narrow column cuts the text short: the whole of it on hover.
        $('.records', row).title = $('.records', row).textContent ?? '';
        // The buttons keep their labels (the delay shows under health): the row never changes width.
        for (const button of row.querySelectorAll<HTMLButtonElement>('.switch button')) {
          button.setAttribute('aria-pressed', String(button.dataset.mode === state.switch.mode));
        }
      }
    },
  };
}
