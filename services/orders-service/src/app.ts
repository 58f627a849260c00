import { createService, type Logger, type Outbox, type Service, type Store } from '@microtown/kit';
import type { InventoryClient } from './clients/inventory.js';
import type { UserClient } from './clients/user.js';
import { registerOrders } from './routes/orders.js';
import type { OrdersData } from './store.js';

/** What the app gets from outside besides its store: a client per service it calls. */
export interface Deps {
  /** Where request logs go (the kit's logger by default). */
  logger?: Logger;
  user: UserClient;
  inventory: InventoryClient;
  /** Delivers what orders must tell other services (confirmations, releases), even when they are down now. */
  outbox: Outbox;
  // microtown:deps
}

type Router = (service: Service, store: Store<OrdersData>, deps: Deps) => void;

/** One router per resource (src/routes/); each adds its routes to the service. */
const routers: Router[] = [
  registerOrders,
  // microtown:routers
];

/** The orders service's HTTP API. It neither listens nor reads the environment: server.ts and the tests do. */
export function createApp(store: Store<OrdersData>, deps: Deps) {
  const service = createService({ name: 'orders', logger: deps.logger });
  for (const register of routers) register(service, store, deps);
  return service.app;
}
