import { type Sent, send } from './api.js';
import { $, el } from './dom.js';
import { presets } from './presets.js';

export interface RequestConsole {
  setServices(names: string[]): void;
}

export interface ConsoleHooks {
  /** After each answer: the page refreshes what the call may have changed. */
  answered(service: string, sent: Sent): void;
  /** The user asked for the calls of the request just made. */
  showTrace(traceId: string): void;
}

/** Service, method, path and JSON body in; status, time, trace id and body out. */
export function createRequestConsole(root: HTMLElement, hooks: ConsoleHooks): RequestConsole {
  const form = $<HTMLFormElement>('form', root);
  const field = <T extends Element>(name: string) => $<T>(`[name="${name}"]`, form);
  const preset = field<HTMLSelectElement>('preset');
  const service = field<HTMLSelectElement>('service');
  const method = field<HTMLSelectElement>('method');
  const path = field<HTMLInputElement>('path');
  const body = field<HTMLTextAreaElement>('body');
  const response = $('.response', root);
  const status = $<HTMLOutputElement>('output[name="status"]', response);
  const time = $<HTMLOutputElement>('output[name="time"]', response);
  const trace = $<HTMLButtonElement>('button[name="trace"]', response);
  const output = $('pre', response);
  let lastTrace: string | null = null;

  presets.forEach((p, i) => {
    preset.append(el('option', p.label, { value: String(i) }));
  });
  preset.addEventListener('change', () => {
    const chosen = presets[Number(preset.value)];
    if (!chosen || preset.value === '') return;
    service.value = chosen.service;
    method.value = chosen.method;
    path.value = chosen.path;
    body.value = chosen.body === undefined ? '' : JSON.stringify(chosen.body, null, 2);
  });

  trace.addEventListener('click', () => {
    if (lastTrace) hooks.showTrace(lastTrace);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = $<HTMLButtonElement>('button[type="submit"]', form);
    submit.disabled = true;
    try {
      const sent = await send(service.value, method.value, path.value, body.value);
      response.hidden = false;
      status.textContent = `${sent.status} ${sent.statusText}`;
      status.dataset.ok = String(sent.status < 400);
      time.textContent = `${sent.ms.toFixed(1)} ms`;
      output.textContent = sent.body || '(empty body)';
      lastTrace = sent.traceId;
      trace.hidden = !sent.traceId;
      hooks.answered(service.value, sent);
    } catch (error) {
      response.hidden = false;
      status.textContent = 'no answer';
      status.dataset.ok = 'false';
      time.textContent = '';
      output.textContent = String(error);
    } finally {
      submit.disabled = false;
    }
  });

  return {
    setServices(names) {
      const current = [...service.options].map((o) => o.value);
      if (current.join() === names.join()) return;
      const chosen = service.value;
      service.replaceChildren(...names.map((n) => el('option', n, { value: n })));
      service.value = names.includes(chosen) ? chosen : (names[0] ?? '');
    },
  };
}
