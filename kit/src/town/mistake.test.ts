import { afterEach, describe, expect, it, vi } from 'vitest';
import { failureLine, UserMistake } from './mistake.js';

class PortTaken extends UserMistake {}

describe('failureLine', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('a user mistake of any kind is its message, as one line', () => {
    expect(failureLine(new PortTaken('port 4001 is in use'))).toBe('error: port 4001 is in use');
  });

  it('anything else is one line too, saying how to see where', () => {
    vi.stubEnv('MICROTOWN_DEBUG', '');
    expect(failureLine(new TypeError('x is undefined'))).toBe(
      'error: x is undefined (MICROTOWN_DEBUG=1 shows where)',
    );
  });

  it('with MICROTOWN_DEBUG set, a bug is thrown on with its stack; a mistake is still one line', () => {
    vi.stubEnv('MICROTOWN_DEBUG', '1');
    const bug = new TypeError('x is undefined');
    expect(() => failureLine(bug)).toThrow(bug);
    expect(failureLine(new PortTaken('port 4001 is in use'))).toBe('error: port 4001 is in use');
  });
});
