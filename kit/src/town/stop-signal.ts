/**
 * Stops on Ctrl-C or SIGTERM, once however often they come: runs `stop`, then exits 0. Whatever is still under way
 * after `graceMs` (a stuck request, a client that hangs) does not keep the process alive: it exits then anyway.
 * Returns whether the stop has begun, for work that must not start any more once it has.
 */
export function stopOnSignal(stop: () => Promise<void>, graceMs: number): () => boolean {
  let stopping = false;
  const onSignal = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), graceMs).unref();
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => stopping;
}
