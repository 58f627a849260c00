import { describe, expect, it } from 'vitest';
import { edgeViews, nodeId, outsideViews, toArrows, toMermaid } from './diagram-text.js';
import type { Graph, ServiceState } from './types.js';

const graph: Graph = {
  expected: [
    { from: 'orders', to: 'user' },
    { from: 'orders', to: 'notification' },
  ],
  observed: [
    { from: 'user', to: 'orders', count: 1, errors: 0, p50_ms: 2, recent: { count: 1, errors: 0 } },
    { from: 'orders', to: 'user', count: 3, errors: 1, p50_ms: 1.5, recent: { count: 3, errors: 1 } },
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

  it('calls an edge failing while its recent calls failed, not after: an outage that is over is over', () => {
    const failing = (errors: number, recent: number) =>
      edgeViews({
        expected: [{ from: 'orders', to: 'inventory' }],
        observed: [
          {
            from: 'orders',
            to: 'inventory',
            count: 30,
            errors,
            p50_ms: 1,
            recent: { count: 10, errors: recent },
          },
        ],
      })[0]?.failing;
    expect(failing(5, 2)).toBe(true);
    expect(failing(5, 0)).toBe(false);
  });
});

describe('outsideViews', () => {
  it("has the customer call the town's entries, then whatever else was called from outside", () => {
    const town: Graph = {
      expected: [
        { from: 'orders', to: 'user' },
        { from: 'orders', to: 'inventory' },
      ],
      observed: [],
    };
    expect(outsideViews(town, [])).toEqual([{ to: 'orders', entry: true, seen: false, faulted: false }]);
    expect(outsideViews(town, ['user', 'orders'])).toEqual([
      { to: 'orders', entry: true, seen: true, faulted: false },
      { to: 'user', entry: false, seen: true, faulted: false },
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
        '---',
        'config:',
        '  layout: elk',
        '---',
        'flowchart LR',
        '  user["user :4001"]',
        '  orders["orders :4003"]',
        '  notification["notification :4004"]',
        '  outside_messages>"messages"]',
        '  orders -->|"3 calls · p50 1.5 ms · 1 of last 3 failed"| user',
        '  orders -.->|"expected, not seen yet"| notification',
        '  user ==>|"unexpected: 1 call · p50 2 ms"| orders',
        '  notification -.->|"email / SMS"| outside_messages',
        '  linkStyle 0 stroke:#d97706,stroke-width:2px',
        '  linkStyle 1 stroke:#9ca3af,stroke-width:1.5px,stroke-dasharray:5 4',
        '  linkStyle 2 stroke:#dc2626,stroke-width:3px',
        '  linkStyle 3 stroke:#7c3aed,stroke-width:1.5px,stroke-dasharray:2 3',
        '  classDef down fill:#fee2e2,stroke:#dc2626,color:#7f1d1d',
        '  class notification down',
        '  classDef slow fill:#fef3c7,stroke:#d97706,color:#78350f',
        '  class orders slow',
        '  classDef outside fill:#fff,stroke:#6b7280,stroke-dasharray:3 3,color:#374151',
        '  class outside_messages outside',
        '',
      ].join('\n'),
    );
  });

  it('draws the customer calling in and the messages notification sends, as the exercise does', () => {
    const town: Graph = { expected: [{ from: 'orders', to: 'notification' }], observed: [] };
    const text = toMermaid(
      edgeViews(town),
      [service('orders', 4003), service('notification', 4004)],
      outsideViews(town, ['orders', 'notification']),
    );
    expect(text.split('\n').slice(5)).toEqual([
      '  outside_customer(("customer"))',
      '  orders["orders :4003"]',
      '  notification["notification :4004"]',
      '  outside_messages>"messages"]',
      '  orders -.->|"expected, not seen yet"| notification',
      '  outside_customer --> orders',
      '  outside_customer --> notification',
      '  notification -.->|"email / SMS"| outside_messages',
      '  linkStyle 0 stroke:#9ca3af,stroke-width:1.5px,stroke-dasharray:5 4',
      '  linkStyle 1 stroke:#15803d,stroke-width:2px',
      '  linkStyle 2 stroke:#6b7280,stroke-width:1.5px',
      '  linkStyle 3 stroke:#7c3aed,stroke-width:1.5px,stroke-dasharray:2 3',
      '  classDef outside fill:#fff,stroke:#6b7280,stroke-dasharray:3 3,color:#374151',
      '  class outside_customer,outside_messages outside',
      '',
    ]);
  });

  it('picks out the edges a check the learner asked to see went along, over their state', () => {
    const town: Graph = { expected: [{ from: 'orders', to: 'user' }], observed: [] };
    const edges = edgeViews(town).map((e) => ({ ...e, lit: true }));
    const outside = outsideViews(town, ['user']).map((o) => ({ ...o, lit: o.to === 'user' }));
    const text = toMermaid(edges, [service('orders', 4003), service('user', 4001)], outside);
    const styles = text.split('\n').filter((line) => line.includes('linkStyle'));
    expect(styles).toEqual([
      '  linkStyle 0 stroke:#2563eb,stroke-width:4px',
      '  linkStyle 1 stroke:#9ca3af,stroke-width:1.5px,stroke-dasharray:5 4',
      '  linkStyle 2 stroke:#2563eb,stroke-width:4px',
    ]);
  });

  it('draws a town of more than five services top to bottom, its labels on short lines', () => {
    const names = ['gateway', 'orders', 'user', 'inventory', 'payment', 'shipping'];
    const big = toMermaid(
      edgeViews(graph),
      names.map((name, i) => service(name, 4001 + i)),
    );
    expect(big).toContain('\nflowchart TD\n');
    expect(big).toContain('  orders -->|"3 calls<br>p50 1.5 ms<br>1 of last 3 failed"| user');
    expect(
      toMermaid(
        edgeViews(graph),
        names.slice(0, 5).map((name, i) => service(name, 4001 + i)),
      ),
    ).toContain('\nflowchart LR\n');
  });

  it('marks ⚡ what the fault lab fails on purpose: an edge, the calls from outside, a whole service', () => {
    const town: Graph = {
      expected: [
        { from: 'orders', to: 'user' },
        { from: 'orders', to: 'inventory' },
      ],
      observed: [graph.observed[1] as Graph['observed'][number]],
    };
    const faults = [
      { from: 'orders', to: 'user' },
      { from: 'orders', to: 'inventory' },
      { from: 'outside', to: 'orders' },
      { to: 'inventory' },
    ];
    const edges = edgeViews(town, faults);
    expect(edges.map((e) => [e.from, e.to, e.faulted])).toEqual([
      ['orders', 'user', true],
      ['orders', 'inventory', true],
    ]);
    expect(edgeViews(town).map((e) => e.faulted)).toEqual([false, false]);
    const services = [service('user', 4001), service('inventory', 4002), service('orders', 4003)];
    const text = toMermaid(edges, services, outsideViews(town, [], faults), faults);
    expect(text.split('\n').slice(5)).toEqual([
      '  outside_customer(("customer"))',
      '  user["user :4001"]',
      '  inventory["⚡ fault · inventory :4002"]',
      '  orders["orders :4003"]',
      '  orders -->|"⚡ fault · 3 calls · p50 1.5 ms · 1 of last 3 failed"| user',
      '  orders -.->|"⚡ fault · expected, not seen yet"| inventory',
      '  outside_customer -.->|"⚡ fault"| orders',
      '  linkStyle 0 stroke:#db2777,stroke-width:3px,stroke-dasharray:8 3',
      '  linkStyle 1 stroke:#db2777,stroke-width:3px,stroke-dasharray:8 3',
      '  linkStyle 2 stroke:#db2777,stroke-width:3px,stroke-dasharray:8 3',
      '  classDef faulted stroke:#db2777,stroke-width:3px,stroke-dasharray:8 3',
      '  class inventory faulted',
      '  classDef outside fill:#fff,stroke:#6b7280,stroke-dasharray:3 3,color:#374151',
      '  class outside_customer outside',
      '',
    ]);
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
