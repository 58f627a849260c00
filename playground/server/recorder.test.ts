import { describe, expect, it } from 'vitest';
import { type Call, createRecorder } from './recorder.js';

const fields = (over: Partial<Call> = {}): Omit<Call, 'id'> => ({
  time: new Date().toISOString(),
  started_ms: Date.now(),
  caller: 'orders',
  callee: 'user',
  method: 'GET',
  path: '/users/u1',
  status: 200,
  duration_ms: 1,
  trace_id: null,
  ...over,
});

describe('createRecorder', () => {
  it('keeps the last maxCalls calls, oldest first, but counts every call on its edge', () => {
    const recorder = createRecorder({ maxCalls: 3 });
    for (let i = 1; i <= 7; i++) recorder.record(fields({ path: `/${i}` }));
    expect(recorder.calls().map((c) => c.path)).toEqual(['/5', '/6', '/7']);
    expect(recorder.calls({ limit: 2 }).map((c) => c.id)).toEqual([6, 7]);
    expect(recorder.edges()).toEqual([
      { from: 'orders', to: 'user', count: 7, errors: 0, p50_ms: 1, recent: { count: 7, errors: 0 } },
    ]);
  });

  it('takes p50 over the recent durations and counts 5xx and unanswered calls as errors', () => {
    const recorder = createRecorder({ window: 4 });
    for (const [duration_ms, status] of [
      [100, 200],
      [1, 503],
      [2, 200],
      [3, 0],
      [4, 404],
    ])
      recorder.record(fields({ duration_ms, status }));
    expect(recorder.edges()).toEqual([
      { from: 'orders', to: 'user', count: 5, errors: 2, p50_ms: 2.5, recent: { count: 5, errors: 2 } },
    ]);
  });

  it("counts recent errors over the edge's last calls only, so an edge recovers after an outage; totals stay", () => {
    const recorder = createRecorder({ recent: 3 });
    const outcomes = () => recorder.edges().map(({ count, errors, recent }) => ({ count, errors, recent }));
    for (const status of [200, 503, 503]) recorder.record(fields({ status }));
    expect(outcomes()).toEqual([{ count: 3, errors: 2, recent: { count: 3, errors: 2 } }]);
    recorder.record(fields({ status: 200 }));
    recorder.record(fields({ status: 200 }));
    expect(outcomes()).toEqual([{ count: 5, errors: 2, recent: { count: 3, errors: 1 } }]);
    recorder.record(fields({ status: 200 }));
    expect(outcomes()).toEqual([{ count: 6, errors: 2, recent: { count: 3, errors: 0 } }]);
  });

  it('forgets calls and edges on clear', () => {
    const recorder = createRecorder();
    recorder.record(fields({ status: 503 }));
    recorder.clear();
    expect(recorder.calls()).toEqual([]);
    expect(recorder.edges()).toEqual([]);
  });

  it('lists calls in the order they started, though they are recorded as they end', () => {
    const recorder = createRecorder();
    recorder.record(fields({ path: '/inner', started_ms: 20 }));
    recorder.record(fields({ path: '/outer', started_ms: 10 }));
    expect(recorder.calls().map((c) => c.path)).toEqual(['/outer', '/inner']);
  });

  it('bounds the number of edges a stray x-caller can create', () => {
    const recorder = createRecorder({ maxEdges: 2 });
    for (const caller of ['a', 'b', 'c', 'a']) recorder.record(fields({ caller }));
    expect(recorder.edges().map((e) => [e.from, e.count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(recorder.calls()).toHaveLength(4);
  });

  it('tells subscribers of each call until they unsubscribe', () => {
    const recorder = createRecorder();
    const seen: number[] = [];
    const unsubscribe = recorder.subscribe((call) => seen.push(call.id));
    recorder.record(fields());
    unsubscribe();
    recorder.record(fields());
    expect(seen).toEqual([1]);
  });

  it('finds a call by its id while it is kept', () => {
    const recorder = createRecorder({ maxCalls: 3 });
    for (let i = 1; i <= 5; i++) recorder.record(fields({ path: `/${i}` }));
    expect(recorder.call(4)?.path).toBe('/4');
    expect(recorder.call(2)).toBeUndefined();
    expect(recorder.call(6)).toBeUndefined();
    recorder.clear();
    expect(recorder.call(5)).toBeUndefined();
  });

  it('keeps the bodies of the last maxBodies calls only', () => {
    const recorder = createRecorder({ maxBodies: 2 });
    for (let i = 1; i <= 4; i++) recorder.record(fields({ request_body: `{"i":${i}}`, response_body: '{}' }));
    expect(recorder.calls().map((c) => c.request_body)).toEqual([undefined, undefined, '{"i":3}', '{"i":4}']);
    expect(recorder.calls()[0]).not.toHaveProperty('response_body');
  });
});
