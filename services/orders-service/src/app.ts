import { createService, type Service, type Store } from '@microtown/kit';
import type { Deps } from './deps.js';
import { registerOrders } from './routes/orders.js';
import type { OrdersData } from './store.js';

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
