import { describe, expect, it } from 'vitest';
import { edgeViews, nodeId, toArrows, toMermaid } from './diagram-text.js';
import type { Graph, ServiceState } from './types.js';

const graph: Graph = {
  expected: [
    { from: 'orders', to: 'user' },
    { from: 'orders', to: 'notification' },
  ],
  observed: [
    { from: 'user', to: 'orders', count: 1, errors: 0, p50_ms: 2 },
    { from: 'orders', to: 'user', count: 3, errors: 1, p50_ms: 1.5 },
  ],
};

const service = (name: string, port: number, over: Partial<ServiceState> = {}): ServiceState => ({
  name,
  port,
  url: `http://127.0.0.1:${port}`,
  health: 'up',
  switch: { mode: 'normal' },
  records: {},
  calls: [],
  checked_at: '2026-12-01T10:00:00.000Z',
  ...over,
});

describe('edgeViews', () => {
  it('marks expected edges seen or missing, then adds the unexpected ones', () => {
    expect(edgeViews(graph).map((e) => [e.from, e.to, e.state, e.count])).toEqual([
      ['orders', 'user', 'seen', 3],
      ['orders', 'notification', 'missing', 0],
      ['user', 'orders', 'unexpected', 1],
    ]);
  });
});

describe('toMermaid', () => {
  it('draws seen, missing and unexpected edges differently, and marks services down or slow', () => {
    const text = toMermaid(edgeViews(graph), [
      service('user', 4001),
      service('orders', 4003, { switch: { mode: 'slow', delay_ms: 500 } }),
      service('notification', 4004, { switch: { mode: 'down' } }),
    ]);
    expect(text).toBe(
      [
        'flowchart LR',
        '  user["user :4001"]',
        '  orders["orders :4003"]',
        '  notification["notification :4004"]',
        '  orders -->|"3 calls · p50 1.5 ms · 1 error"| user',
        '  orders -.->|"expected, not seen yet"| notification',
        '  user ==>|"unexpected: 1 call · p50 2 ms"| orders',
        '  linkStyle 0 stroke:#d97706,stroke-width:2px',
        '  linkStyle 1 stroke:#9ca3af,stroke-width:1.5px,stroke-dasharray:5 4',
        '  linkStyle 2 stroke:#dc2626,stroke-width:3px',
        '  classDef down fill:#fee2e2,stroke:#dc2626,color:#7f1d1d',
        '  class notification down',
        '  classDef slow fill:#fef3c7,stroke:#d97706,color:#78350f',
        '  class orders slow',
        '',
      ].join('\n'),
    );
  });

  it('gives names Mermaid would misread an id of their own', () => {
    expect(nodeId('order-history')).toBe('svc_order_history');
    expect(nodeId('end')).toBe('svc_end');
    expect(nodeId('user')).toBe('user');
  });
});

describe('toArrows', () => {
  it('lists the edges the town used, or the expected ones while none was seen', () => {
    expect(toArrows(edgeViews(graph))).toBe('orders --> user\nuser --> orders\n');
    expect(toArrows(edgeViews({ ...graph, observed: [] }))).toBe(
      'orders --> user\norders --> notification\n',
    );
  });
});
