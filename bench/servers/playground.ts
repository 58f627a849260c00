// The playground's proxy (recorder on, no page) in front of the user service at USER_SERVICE_URL.
import { startPlayground } from '../../playground/server/index.js';
import { onStop, ready } from './child.js';

const url = process.env.USER_SERVICE_URL;
if (!url) throw new Error('USER_SERVICE_URL is not set');
const playground = await startPlayground({ port: 0, page: false, services: [{ name: 'user', url }] });
ready(playground.server);
onStop(() => playground.close());
