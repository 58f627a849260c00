import { $, el } from './dom.js';
import type { ServiceState, Switch } from './types.js';

export interface ServicesPanel {
  update(states: ServiceState[]): void;
}

const MODES = ['normal', 'slow', 'down'] as const;

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
        const off = state.switch.mode === 'down';
        const health = state.health === 'down' ? 'down' : off ? 'off' : 'up';
        row.dataset.health = state.health;
        row.dataset.switch = state.switch.mode;
        $('.health', row).textContent = health === 'off' ? 'switched off' : health;
        $('.health', row).dataset.state = health;
        $('.port', row).textContent = String(state.port);
        const records = Object.entries(state.records);
        $('.records', row).textContent = records.length
          ? records.map(([list, n]) => `${list}: ${n ?? '?'}`).join(', ')
          : '–';
        for (const button of row.querySelectorAll<HTMLButtonElement>('.switch button')) {
          const pressed = button.dataset.mode === state.switch.mode;
          button.setAttribute('aria-pressed', String(pressed));
          if (button.dataset.mode === 'slow') {
            button.textContent = state.switch.mode === 'slow' ? `slow +${state.switch.delay_ms} ms` : 'slow';
          }
        }
      }
    },
  };
}
