import { describe, expect, it } from 'vitest';
import { describeReads, edgeText, parseDiagram, serviceName } from './diagram.js';

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
    [
      'every block and the text around it, skipping shell lines and prose',
      '# My diagram\n\nOrders -> User\n\n```mermaid\ngraph LR\norders --> inventory\n```\n\n```sh\nnpm run grade -- 02\n```\nThen run `npm run grade -- 02`.\nThe orders service first asks the user service --> and then it reserves stock.',
      ['orders --> user', 'orders --> inventory'],
    ],
    [
      'labels after the callee, CamelCase, ports and list markers',
      'Orders -> User : GET /users/{id}\nOrderService --> InventoryService (reserve)\n- Orders Service (:8003) --> Notification Service: sends',
      ['orders --> user', 'orders --> inventory', 'orders --> notification'],
    ],
    [
      'both-sided lines and quoted Mermaid labels with ports',
      'User <-- Orders --> Inventory\ngraph LR\n  O --> N["Notification Service (:8004)"]\n  O[Orders]',
      ['orders --> user', 'orders --> inventory', 'orders --> notification'],
    ],
    [
      'ASCII boxes joined by arrows',
      '+--------+       +------+\n| Orders | ----> | User |\n+--------+       +------+\n[ Orders ] ---> [ Inventory ]',
      ['orders --> user', 'orders --> inventory'],
    ],
    [
      'vertical arrows, down and up, side by side',
      '  Orders          Inventory\n    |                 ^\n    |  GET /users      |\n    v                 |\n  User            Orders',
      ['orders --> inventory', 'orders --> user'],
    ],
  ])('reads %s', (_, text, expected) => {
    expect(edges(text)).toEqual(expected);
  });

  it('names lines without a direction, and sequence diagrams, with their line', () => {
    expect(parseDiagram('orders --- user').problems).toEqual([
      'line 1: "orders --- user" has no direction: write --> from caller to callee',
    ]);
    expect(parseDiagram('```mermaid\nsequenceDiagram\nOrders->>User: GET\n```').problems[0]).toMatch(
      /^line 2: a sequenceDiagram/,
    );
  });

  it('tells how each line was read', () => {
    const diagram = parseDiagram('graph LR\nO[Orders] --> U[User]\n\nO --> I[Inventory]', TOWN);
    expect(describeReads(diagram)).toBe('line 2: read as orders → user; line 4: read as orders → inventory');
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
    ['OrderService', 'orders'],
    ['user_service', 'user'],
    ['User Service (:8001)', 'user'],
  ])('%s is %s', (name, expected) => {
    expect(serviceName(name, TOWN)).toBe(expected);
  });
});
