import { eventually } from '@microtown/kit/testing';
import type { Playground } from '../start-playground.js';

/**
 * Waits until orders' check at start (which reservations are held for orders it never stored) has reached
 * inventory through the playground. A town started before its playground fails that check until the playground
 * listens, and those failures open orders' circuit breaker for a moment: the first order would be refused.
 */
export function townReady(playground: Playground): Promise<void> {
  return eventually(
    () => playground.recorder.calls({ caller: 'orders', callee: 'inventory' }).some((c) => c.status === 200),
    "orders' start-up check of inventory, through the playground",
    { timeoutMs: 20_000 },
  );
}
