import './style.css';
import { setSwitch } from './api.js';
import { createCallDiagram } from './call-diagram.js';
import { createCallSequence } from './call-sequence.js';
import { $ } from './dom.js';
import { createRecentCalls } from './recent-calls.js';
import { createRequestConsole } from './request-console.js';
import { createServicesPanel } from './services-panel.js';
import type { Call, Graph, ServiceState } from './types.js';

const parseId = (body: string): string | undefined => {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
};

const live = $('#live');
const diagram = createCallDiagram($('#diagram'));
const sequence = createCallSequence($('#sequence'));
const recent = createRecentCalls($('#recent'));
const services = createServicesPanel($('#services'), (name, value) => {
  setSwitch(name, value).catch((error) => alert(String(error)));
});
const requestConsole = createRequestConsole($('#console'), {
  answered(service, sent) {
    if (service !== 'orders') return;
    // A new order: show its calls right away (more arrive live, the notification after the answer).
    const placed = sent.status === 201 ? parseId(sent.body) : undefined;
    void (placed ? sequence.pick(placed) : sequence.refreshOrders()).catch(() => {});
  },
  showTrace(traceId) {
    void sequence.showTrace(traceId);
    $('#sequence').scrollIntoView({ behavior: 'smooth' });
  },
});

// Everything live comes from one stream of server-sent events; EventSource reconnects by itself.
const events = new EventSource('/api/events');
events.addEventListener('open', () => {
  live.dataset.state = 'live';
  live.textContent = 'live';
});
events.addEventListener('error', () => {
  live.dataset.state = 'lost';
  live.textContent = 'playground unreachable: reconnecting…';
});
events.addEventListener('services', (event) => {
  const states = JSON.parse((event as MessageEvent).data) as ServiceState[];
  services.update(states);
  requestConsole.setServices(states.map((s) => s.name));
  diagram.update(undefined, states);
});
events.addEventListener('graph', (event) => {
  diagram.update(JSON.parse((event as MessageEvent).data) as Graph);
});
events.addEventListener('calls', (event) => {
  const calls = JSON.parse((event as MessageEvent).data) as Call[];
  recent.seen(calls);
  sequence.seen(calls);
});

void sequence.refreshOrders().catch(() => {});
