import { createService, type Logger, type Service, type Store } from '@microtown/kit';
import { registerItems } from './routes/items.js';
import { registerReservations } from './routes/reservations.js';
import { registerStock } from './routes/stock.js';
import type { InventoryData } from './store.js';

/** What the app gets from outside besides its store: a client per service it calls. */
export interface Deps {
  /** Where request logs go (the kit's logger by default). */
  logger?: Logger;
  // microtown:deps
}

type Router = (service: Service, store: Store<InventoryData>, deps: Deps) => void;

/** One router per resource (src/routes/); each adds its routes to the service. */
const routers: Router[] = [
  registerItems,
  registerStock,
  registerReservations,
  // microtown:routers
];

/** The inventory service's HTTP API. It neither listens nor reads the environment: server.ts and the tests do. */
export function createApp(store: Store<InventoryData>, deps: Deps) {
  const service = createService({ name: 'inventory', logger: deps.logger });
  for (const register of routers) register(service, store, deps);
  return service.app;
}
