import { createService, type Logger, type Service, type Store } from '@microtown/kit';
import { registerNotifications } from './routes/notifications.js';
import { registerSend } from './routes/send.js';
import type { NotificationData } from './store.js';

/** What the app gets from outside besides its store: a client per service it calls. */
export interface Deps {
  /** Where request logs go (the kit's logger by default). */
  logger?: Logger;
  // microtown:deps
}

type Router = (service: Service, store: Store<NotificationData>, deps: Deps) => void;

/** One router per resource (src/routes/); each adds its routes to the service. */
const routers: Router[] = [
  registerSend,
  registerNotifications,
  // microtown:routers
];

/** The notification service's HTTP API. It neither listens nor reads the environment: server.ts and the tests do. */
export function createApp(store: Store<NotificationData>, deps: Deps) {
  const service = createService({ name: 'notification', logger: deps.logger });
  for (const register of routers) register(service, store, deps);
  return service.app;
}
