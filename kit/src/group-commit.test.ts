import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A flush that takes `ms` and records how many writers were waiting when it started. */
function slowFlush(ms: number) {
  const batches: number[] = [];
  let pending = 0;
  const commit = groupCommit(async () => {
    batches.push(pending);
    pending = 0;
    await sleep(ms);
  });
  const write = () => {
    pending++;
    return commit.write();
  };
  return { batches, write, commit };
}

describe('groupCommit', () => {
  it('serves every writer of one turn with one flush', async () => {
    const { batches, write } = slowFlush(1);
    await Promise.all(Array.from({ length: 50 }, write));
    expect(batches).toEqual([50]);
  });

  it('never runs two flushes at once, and acknowledges a writer only after a flush that began after it', async () => {
    let running = 0;
    let maxRunning = 0;
    let flushes = 0;
    const commit = groupCommit(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(3);
      flushes++;
      running--;
    });
    const acknowledged: boolean[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await sleep(i % 7);
        const before = flushes;
        await commit.write();
        acknowledged.push(flushes > before);
      }),
    );
    expect(maxRunning).toBe(1);
    expect(acknowledged.every(Boolean)).toBe(true);
  });

  it('under load, gathers the writers that come back a moment after their acknowledgement into one batch', async () => {
    const { batches, write } = slowFlush(3);
    const writers = 16;
    const rounds = 15;
    // Like HTTP clients: each sends its next write shortly after the previous one was acknowledged.
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < rounds; i++) {
          await write();
          await sleep(1);
        }
      }),
    );
    // Alternating half batches would take about twice as many flushes.
    expect(batches.length).toBeLessThanOrEqual(rounds + 3);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(writers * rounds);
  });

  it('flushes a lone writer promptly when there is no load', async () => {
    const { write } = slowFlush(0);
    await write();
    const started = performance.now();
    await write();
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('settled waits for queued and running flushes', async () => {
    const { batches, write, commit } = slowFlush(5);
    void write();
    void write();
    await commit.settled();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(2);
  });
});
