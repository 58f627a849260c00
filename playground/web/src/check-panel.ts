import { getJson } from './api.js';
import { $, el } from './dom.js';
import type { Call, CheckRun, CheckState, TaskRun } from './types.js';

export interface CheckPanel {
  /** A run changed: a task began or failed, or the score came (server-sent event `check`). */
  update(run: CheckRun): void;
}

const MARK: Record<TaskRun['state'], string> = { waiting: '·', running: '…', passed: '✓', failed: '✗' };

/** The calls recorded while a task's checks ran: what the grader sent, and what the learner's services called. */
async function callsOf(task: TaskRun): Promise<Call[]> {
  if (!task.started) return [];
  const from = Date.parse(task.started);
  const to = task.ended ? Date.parse(task.ended) : Date.now();
  const { data } = await getJson<{ data: Call[] }>('/api/calls?limit=10000');
  return data.filter((call) => {
    const at = Date.parse(call.time);
    return at >= from - 50 && at <= to + 50;
  });
}

/**
 * "Check my work": pick the exercise, press the button; the same grader as `npm run grade` runs, its tasks tick in
 * live, and each failed one shows its hint and the calls made meanwhile (on the diagram, and a trace in the sequence
 * view).
 */
export function createCheckPanel(
  root: HTMLElement,
  showTrace: (traceId: string) => void,
  showCalls: (calls: Call[]) => void,
): CheckPanel {
  const picker = $<HTMLSelectElement>('select[name="exercise"]', root);
  const button = $<HTMLButtonElement>('button[name="check"]', root);
  const how = $('.check-how', root);
  const score = $('.check-score', root);
  const list = $('ol.tasks', root);
  let running = false;

  const taskItem = (task: TaskRun) => {
    const item = el('li', '', { 'data-state': task.state, 'data-task': String(task.id) });
    const head = el('div', '', { class: 'task-head' });
    head.append(
      el('span', MARK[task.state], { class: 'mark', 'aria-label': task.state }),
      el('span', `${task.id}. ${task.title}`, { class: 'title' }),
      el('span', task.score === null ? `${task.points} pts` : `${task.score}/${task.points}`, {
        class: 'points',
      }),
    );
    item.append(head);
    if (task.hint) item.append(el('p', task.hint, { class: 'hint' }));
    if (task.state === 'failed' && task.started) {
      const show = el('button', 'show its calls', { type: 'button', class: 'link', name: 'calls' });
      const calls = el('ol', '', { class: 'task-calls' });
      show.addEventListener('click', () => {
        void callsOf(task).then((found) => {
          calls.replaceChildren(
            ...(found.length
              ? found.map((c) =>
                  el('li', `${c.caller ?? 'outside'} → ${c.callee}  ${c.method} ${c.path}  ${c.status}`),
                )
              : [el('li', 'no call went through the playground meanwhile')]),
          );
          showCalls(found);
          const traced = found.find((c) => c.trace_id);
          if (traced?.trace_id) showTrace(traced.trace_id);
        });
      });
      item.append(show, calls);
    }
    return item;
  };

  const render = (run: CheckRun | null) => {
    running = run?.state === 'running';
    button.disabled = running || picker.disabled;
    button.textContent = running ? 'Checking…' : 'Check my work';
    if (!run) return;
    if (picker.value !== run.exercise) picker.value = run.exercise;
    how.textContent = run.how;
    list.replaceChildren(...run.tasks.map(taskItem));
    score.dataset.state = run.state;
    score.textContent =
      run.state === 'error'
        ? `not graded: ${run.error}`
        : run.score === null
          ? 'grading…'
          : `${run.score}/${run.max_score} points${run.score === run.max_score ? ': all done' : ''}`;
  };

  button.addEventListener('click', () => {
    button.disabled = true;
    void fetch('/api/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ exercise: picker.value }),
    })
      .then(async (response) => {
        const body = await response.json();
        if (!response.ok) throw new Error(body.detail ?? response.statusText);
        render(body as CheckRun);
      })
      .catch((error: Error) => {
        score.dataset.state = 'error';
        score.textContent = error.message;
        button.disabled = false;
      });
  });

  void getJson<CheckState>('/api/check')
    .then((state) => {
      picker.replaceChildren(
        ...state.exercises.map((e) =>
          el('option', `${e.folder.slice(0, 2)}. ${e.title} (${e.points} pts)`, { value: e.folder }),
        ),
      );
      if (state.exercise) picker.value = state.exercise;
      if (!state.enabled) {
        picker.disabled = true;
        how.textContent = 'Check my work is turned off here: run npm run grade in a terminal.';
      } else if (!state.run) {
        how.textContent = state.exercise
          ? `your services of exercise ${state.exercise} run in this town: press the button to grade them`
          : 'pick an exercise and press the button (npm start -- --exercise NN runs your services in the town)';
      }
      render(state.run);
    })
    .catch(() => {});

  return { update: render };
}
