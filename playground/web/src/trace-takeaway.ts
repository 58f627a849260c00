import type { z } from '@microtown/kit';
import type { ExportStatusPublic } from '../../server/traces-api.js';
import { getJson } from './api.js';
import { $, el } from './dom.js';
import type { Call } from './types.js';

type ExportStatus = z.output<typeof ExportStatusPublic>;

export interface TraceTakeaway {
  /** The sequence view shows these calls of this trace: offer them to download, or to copy as Mermaid. */
  show(traceId: string | null, calls: Call[]): void;
}

const who = (caller: string | null) => caller ?? 'outside';
/** In a message Mermaid reads `;` as the end of a statement and `#` as the start of an entity code. */
const message = (text: string) => text.replace(/[#;]/g, (c) => (c === '#' ? '#35;' : '#59;'));

interface Step {
  at: number;
  /** Which call, in the order they started. */
  order: number;
  answer: boolean;
  line: string;
}

/** At the same moment: a call before its own answer, answers before new calls, an inner answer before an outer one. */
function byTime(a: Step, b: Step): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.order === b.order) return Number(a.answer) - Number(b.answer);
  if (a.answer !== b.answer) return a.answer ? -1 : 1;
  return a.answer ? b.order - a.order : a.order - b.order;
}

/**
 * The calls as a Mermaid sequence diagram: participants in the order they first appear, each call an arrow from
 * its caller and its answer an arrow back, in the order they happened (an answer before what started after it).
 */
export function sequenceMermaid(calls: readonly Call[]): string {
  const ordered = [...calls].sort((a, b) => a.started_ms - b.started_ms || a.id - b.id);
  const participants = [...new Set(ordered.flatMap((c) => [who(c.caller), c.callee]))];
  const steps = ordered.flatMap((c, order): Step[] => [
    {
      at: c.started_ms,
      order,
      answer: false,
      line: `${who(c.caller)}->>${c.callee}: ${message(`${c.method} ${c.path}`)}`,
    },
    {
      at: c.started_ms + c.duration_ms,
      order,
      answer: true,
      line: `${c.callee}-->>${who(c.caller)}: ${c.status || 'no answer'}`,
    },
  ]);
  steps.sort(byTime);
  const lines = ['sequenceDiagram', ...participants.map((p) => `    participant ${p}`)];
  return `${[...lines, ...steps.map((s) => `    ${s.line}`)].join('\n')}\n`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function exportLine(status: ExportStatus): string {
  if (!status.enabled) {
    return 'OpenTelemetry export: off. Start the town with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 to send every call to Jaeger.';
  }
  const parts = [`OpenTelemetry export to ${status.url}: ${plural(status.exported_spans, 'span')} sent`];
  if (status.failed_exports) {
    const lost = `${plural(status.failed_exports, 'export')} failed, ${plural(status.failed_spans, 'span')} lost`;
    parts.push(`${lost} (last: ${status.last_error})`);
  } else if (status.failed_spans) {
    parts.push(`${plural(status.failed_spans, 'span')} rejected (${status.last_error})`);
  }
  if (status.dropped_spans) {
    parts.push(`${plural(status.dropped_spans, 'span')} dropped while the receiver was behind`);
  }
  return parts.join('; ');
}

/**
 * Under the trace of the sequence view: "Download this order's trace" (Jaeger's JSON, or OTLP/JSON), "Copy as
 * Mermaid", and a line on the OpenTelemetry export (`GET /api/traces/export`): what it sent and what it lost.
 */
export function createTraceTakeaway(root: HTMLElement): TraceTakeaway {
  const jaeger = el('a', "Download this order's trace", { class: 'download', 'data-format': 'jaeger' });
  const otlp = el('a', 'as OTLP JSON', { class: 'download', 'data-format': 'otlp' });
  const copy = el('button', 'Copy as Mermaid', { type: 'button', class: 'link', name: 'copy-mermaid' });
  const actions = el('p', '', { class: 'trace trace-takeaway' });
  actions.append(jaeger, ' · ', otlp, ' · ', copy);
  actions.hidden = true;
  const line = el('p', '', { class: 'trace trace-export', role: 'status' });
  $('.trace', root).after(actions, line);

  let shown: Call[] = [];
  copy.addEventListener('click', async () => {
    await navigator.clipboard.writeText(sequenceMermaid(shown)).then(
      () => (copy.textContent = 'copied'),
      () => (copy.textContent = 'could not copy: the page needs clipboard access'),
    );
    setTimeout(() => (copy.textContent = 'Copy as Mermaid'), 1500);
  });

  // The export's counts change with every call; read while it is on, once when it is off.
  const readStatus = async () => {
    try {
      const status = await getJson<ExportStatus>('/api/traces/export');
      line.textContent = exportLine(status);
      line.dataset.failed = String(status.failed_spans + status.dropped_spans > 0);
      if (status.enabled) setTimeout(readStatus, 2000);
    } catch {
      setTimeout(readStatus, 5000);
    }
  };
  void readStatus();

  return {
    show(traceId, calls) {
      shown = calls;
      actions.hidden = !traceId || calls.length === 0;
      if (!traceId) return;
      for (const [link, format] of [
        [jaeger, 'jaeger'],
        [otlp, 'otlp'],
      ] as const) {
        link.href = `/api/traces/${traceId}?format=${format}`;
        link.download = `trace-${traceId}.${format}.json`;
      }
    },
  };
}
