import type { TownEvent } from '@microtown/kit/town';

/** Events kept for a playground that starts (or starts again) after them. */
const KEPT_EVENTS = 2000;
/** A busy service logs a line per request: they go to the playground in batches. */
const BATCH_MS = 50;

export interface Relay {
  push(event: TownEvent): void;
  /** The recent events, for a playground that has just said it is ready; those not sent yet are in them. */
  recent(): TownEvent[];
}

/** Passes the town's events on to `send` in batches, and keeps the recent ones to hand on again. */
export function createRelay(send: (events: TownEvent[]) => void): Relay {
  const kept: TownEvent[] = [];
  let pending: TownEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length > 0) send(batch);
  };
  return {
    push(event) {
      kept.push(event);
      if (kept.length > KEPT_EVENTS) kept.splice(0, kept.length - KEPT_EVENTS);
      pending.push(event);
      if (!timer) timer = setTimeout(flush, BATCH_MS);
    },
    recent() {
      clearTimeout(timer);
      timer = undefined;
      pending = [];
      return [...kept];
    },
  };
}
