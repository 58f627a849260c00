import type { Playground } from '../start-playground.js';

/**
 * Waits until orders' check at start (which reservations are held for orders it never stored) has reached
 * inventory through the playground. A town started before its playground retries that check until the playground
 * listens: once it has passed, a test's record holds only the calls the test made.
 */
export async function townReady(playground: Playground, timeoutMs = 20_000): Promise<void> {
  const passed = () =>
    playground.recorder.calls({ caller: 'orders', callee: 'inventory' }).some((c) => c.status === 200);
  for (const deadline = Date.now() + timeoutMs; !passed(); ) {
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for orders' start-up check of inventory`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
