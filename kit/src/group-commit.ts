/** How long a batch may wait for the writers the previous flush acknowledged to come back with their next write. */
const GATHER_MAX_MS = 4;

const ignore = () => {};
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface GroupCommit {
  /** Resolves once a flush that started after this call has finished. */
  write(): Promise<void>;
  /** Resolves once nothing is queued or under way. */
  settled(): Promise<void>;
}

/**
 * Group commit: one flush (one serialisation, one file write) serves every writer waiting when it starts, and only
 * one flush runs at a time. Writers that arrive during a flush share the next one.
 *
 * Under load, the writers a flush acknowledged come back with their next write a moment later. If the next flush
 * started at once, flushes would alternate between two half batches; so, when the last flush served several
 * writers, the next one waits (at most GATHER_MAX_MS) until as many have joined. Unloaded, it starts on the next turn.
 */
export function groupCommit(flush: () => Promise<void>): GroupCommit {
  let inFlight: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let waiting = 0; // writers in the queued batch
  let lastBatch = 0; // writers the last flush served
  let gathering: { target: number; done: () => void } | undefined;

  const gather = (target: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        gathering = undefined;
        resolve();
      };
      const timer = setTimeout(done, GATHER_MAX_MS);
      gathering = { target, done };
      if (waiting >= target) done();
    });

  const start = () => {
    lastBatch = waiting;
    waiting = 0;
    queued = undefined;
    inFlight = flush().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const write = () => {
    waiting++;
    if (gathering && waiting >= gathering.target) gathering.done();
    if (!queued) {
      const busy = inFlight !== undefined;
      queued = (inFlight ?? Promise.resolve())
        .catch(ignore)
        .then(() => {
          if (lastBatch <= 1) return nextTurn();
          // Busy: the batch waiting now, plus the writers just acknowledged. Idle: those writers, coming back.
          return gather(busy ? waiting + lastBatch : lastBatch);
        })
        .then(start);
    }
    return queued;
  };

  const settled = async () => {
    for (let p = queued ?? inFlight; p; p = queued ?? inFlight) await p.catch(ignore);
  };

  return { write, settled };
}
