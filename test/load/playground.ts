// The playground in a process of its own, for the load suite: its settings from the environment as `npm start -w
// playground` reads them, the town's services at their <NAME>_SERVICE_URL, no page. On SIGUSR2 it prints its
// figures (connections open, the most open at once since the last print, memory) as `figures#<n> {...}`.
import { join } from 'node:path';
import { readTown, startPlayground } from '../../playground/server/index.js';
import { loadSettings, proxyLimits } from '../../playground/server/settings.js';

const settings = loadSettings();
const playground = await startPlayground({
  services: await readTown(join(import.meta.dirname, '..', '..'), process.env),
  port: settings.PORT,
  host: settings.HOST,
  page: false,
  maxCalls: settings.PLAYGROUND_MAX_CALLS,
  limits: proxyLimits(settings),
  probeIntervalMs: 60_000,
});

let open = 0;
let peak = 0;
playground.server.on('connection', (socket) => {
  open++;
  peak = Math.max(peak, open);
  socket.once('close', () => open--);
});
let printed = 0;
process.on('SIGUSR2', () => {
  const rssMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
  console.log(`figures#${++printed} ${JSON.stringify({ open, peak, rss_mb: rssMb })}`);
  peak = open;
});
process.on('SIGTERM', () => void playground.close().then(() => process.exit(0)));
console.log(`playground listening on ${playground.url}`);
