import { describe, expect, it } from 'vitest';
import { everyCase, fail, GradeError, NoAnswerError } from './checks.js';

describe('everyCase', () => {
  it('runs every case; the hint is the first failure, with the count and names of the others', async () => {
    const ran: string[] = [];
    const run = everyCase(['no email', 'no name', 'ok', 'empty name'], String, async (c) => {
      ran.push(c);
      if (c !== 'ok') fail(`POST /users with ${c} answered 201`);
    });
    await expect(run).rejects.toThrow(
      new GradeError(
        'no email: POST /users with no email answered 201; 2 other cases of this check failed too: no name, empty name',
      ),
    );
    expect(ran).toEqual(['no email', 'no name', 'ok', 'empty name']);
  });

  it('passes when every case does, and says nothing of "other cases" when one alone failed', async () => {
    await expect(everyCase([1, 2], String, async () => {})).resolves.toBeUndefined();
    await expect(everyCase([1, 2], String, async (c) => (c === 2 ? fail('two') : undefined))).rejects.toThrow(
      /^2: two$/,
    );
  });

  it('stops at a service that does not answer in time: the others would only wait for the same', async () => {
    const ran: number[] = [];
    const run = everyCase(
      [1, 2, 3],
      (c) => `case ${c}`,
      async (c) => {
        ran.push(c);
        throw new NoAnswerError('inventory answered POST /items after 3.0 s; each answer has 2 s');
      },
    );
    await expect(run).rejects.toThrow(
      new NoAnswerError('case 1: inventory answered POST /items after 3.0 s; each answer has 2 s'),
    );
    expect(ran).toEqual([1]);
  });

  it('lets a bug in the check itself through as it is', async () => {
    await expect(
      everyCase([1], String, async () => {
        throw new TypeError('x is undefined');
      }),
    ).rejects.toThrow(TypeError);
  });
});
