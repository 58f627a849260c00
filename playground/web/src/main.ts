import './style.css';
import { clearCalls, getJson, setSwitch } from './api.js';
import { createCallDiagram } from './call-diagram.js';
import { createCallSequence } from './call-sequence.js';
import { createCheckPanel } from './check-panel.js';
import { createDataPanel } from './data-panel.js';
import { $ } from './dom.js';
import { createFaultsPanel } from './faults-panel.js';
import { createRecentCalls } from './recent-calls.js';
import { createRequestConsole } from './request-console.js';
import { createServicesPanel } from './services-panel.js';
import { createTownLogs } from './town-logs.js';
import type { Call, CheckRun, Graph, ServiceState, TownEvent } from './types.js';

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
const recent = createRecentCalls($('#recent'), () => {
  clearCalls()
    .then(forgetCalls)
    .catch((error) => alert(String(error)));
});
const data = createDataPanel($('#data'));
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
  showTrace,
});
const logs = createTownLogs($('#logs'), $('#notes'), showTrace);
const check = createCheckPanel($('#check'), showTrace, (calls) => diagram.highlight(calls));

/** A request's calls, in the sequence view: from the console's answer or a log line's trace. */
function showTrace(traceId: string) {
  void sequence.showTrace(traceId);
  $('#sequence').scrollIntoView({ behavior: 'smooth' });
}

// Everything live comes from one stream of server-sent events; EventSource reconnects by itself.
const events = new EventSource('/api/events');
events.addEventListener('open', () => {
  live.dataset.state = 'live';
  live.textContent = 'live';
  void loadCalls().catch(() => {});
});
// The fault lab: its card, and the ⚡ on the diagram where a fault is set (both kept current by the event `faults`).
createFaultsPanel($('#faults'), events, (faults) => diagram.setFaults(faults));
events.addEventListener('error', () => {
  live.dataset.state = 'lost';
  live.textContent = 'playground unreachable: reconnecting…';
});
events.addEventListener('services', (event) => {
  const states = JSON.parse((event as MessageEvent).data) as ServiceState[];
  services.update(states);
  requestConsole.setServices(states.map((s) => s.name));
  diagram.update(undefined, states);
  data.update(states);
  logs.setServices(states.map((s) => s.name));
});
events.addEventListener('check', (event) => {
  check.update(JSON.parse((event as MessageEvent).data) as CheckRun);
});
// What npm start says of the services it runs: log lines, reloads on a save, crashes.
events.addEventListener('town', (event) => {
  logs.seen(JSON.parse((event as MessageEvent).data) as TownEvent[]);
});
events.addEventListener('graph', (event) => {
  diagram.update(JSON.parse((event as MessageEvent).data) as Graph);
});
events.addEventListener('calls', (event) => {
  const calls = JSON.parse((event as MessageEvent).data) as Call[];
  recent.seen(calls);
  sequence.seen(calls);
  diagram.seen(calls);
});
// Another page (or this one) cleared the calls; the observed edges come empty with the next graph.
events.addEventListener('cleared', () => forgetCalls());

/** Bumped when the calls are cleared: a record read before that must not refill the page. */
let generation = 0;
function forgetCalls() {
  generation++;
  recent.cleared();
  sequence.cleared();
  diagram.cleared();
}

/**
 * The page shows what was recorded before it opened (and, after a reconnect, what it missed): the record first,
 * then the live calls; the lists drop a call they already show.
 */
async function loadCalls() {
  const loading = ++generation;
  recent.cleared();
  diagram.cleared();
  const { data } = await getJson<{ data: Call[] }>('/api/calls?limit=200');
  if (loading !== generation) return;
  recent.seen(data);
  diagram.seen(data);
}

void sequence.refreshOrders().catch(() => {});
