import { describe, expect, it } from 'vitest';
import { edgeText, parseDiagram, serviceName } from './diagram.ts';

const TOWN = ['user', 'inventory', 'orders', 'notification'];
const edges = (text: string) =>
  parseDiagram(text).edges.map((e) =>
    edgeText({ from: serviceName(e.from, TOWN), to: serviceName(e.to, TOWN) }),
  );

describe('parseDiagram', () => {
  it.each([
    ['plain arrows', 'Orders --> User\norders -> inventory', ['orders --> user', 'orders --> inventory']],
    [
      'a mermaid graph with labelled nodes',
      'graph LR\n  O[Orders Service] --> U(User Service)\n  O --> I{{inventory}}',
      ['orders --> user', 'orders --> inventory'],
    ],
    [
      'link labels',
      'flowchart TD\nA[orders] -->|checks the user| B[users]\nA -- reserves stock --> C[Inventory]\nA -. later .-> N[notification]',
      ['orders --> user', 'orders --> inventory', 'orders --> notification'],
    ],
    [
      'chains and &',
      'orders-service --> user-service & inventory-service\nuser --> orders --> notification',
      ['orders --> user', 'orders --> inventory', 'user --> orders', 'orders --> notification'],
    ],
    [
      'thick, dotted and unicode arrows',
      'orders ==> user\norders -.-> inventory\norders → notification',
      ['orders --> user', 'orders --> inventory', 'orders --> notification'],
    ],
    [
      'reversed and two-way arrows',
      'user <-- orders\norders <--> inventory',
      ['orders --> user', 'orders --> inventory', 'inventory --> orders'],
    ],
    [
      'semicolons, comments, styles, quotes',
      'graph LR; A["Orders"] --> B["User"]; %% orders --> nowhere\nstyle A fill:#f9f\nclassDef big font-size:20px',
      ['orders --> user'],
    ],
  ])('reads %s', (_, text, expected) => {
    expect(edges(text)).toEqual(expected);
  });

  it('reads only the mermaid blocks of a Markdown file', () => {
    const text = '# My diagram\n\nOrders calls -> everyone\n\n```mermaid\ngraph LR\norders --> user\n```\n';
    expect(edges(text)).toEqual(['orders --> user']);
  });

  it('names lines without a direction, and sequence diagrams', () => {
    expect(parseDiagram('orders --- user').problems).toEqual([
      '"orders --- user" has no direction: write --> from caller to callee',
    ]);
    expect(parseDiagram('sequenceDiagram\nOrders->>User: GET').problems[0]).toMatch(/sequenceDiagram/);
  });

  it('finds nothing in prose', () => {
    expect(parseDiagram('Orders calls user and inventory.').edges).toEqual([]);
  });
});

describe('serviceName', () => {
  it.each([
    ['Orders Service', 'orders'],
    ['orders-service', 'orders'],
    ['Order', 'orders'],
    ['USERS', 'user'],
    ['the notifications service', 'notification'],
    ['Inventory API', 'inventory'],
    ['Customer', 'customer'],
    ['Email / SMS', 'email-sms'],
  ])('%s is %s', (name, expected) => {
    expect(serviceName(name, TOWN)).toBe(expected);
  });
});
