import { SettingsError } from '@microtown/kit';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './proxy.js';
import { loadSettings, proxyLimits } from './settings.js';

describe('the playground settings', () => {
  it("give the proxy's limits their defaults", () => {
    expect(proxyLimits(loadSettings({}))).toEqual(DEFAULT_LIMITS);
  });

  it('read each limit from the environment', () => {
    const env = {
      PLAYGROUND_BODY_TIMEOUT_MS: '3000',
      PLAYGROUND_BODY_IDLE_MS: '1000',
      PLAYGROUND_BUFFER_BYTES: '1024',
      PLAYGROUND_MAX_UPLOADS: '2',
      PLAYGROUND_MAX_QUEUED: '0',
    };
    expect(proxyLimits(loadSettings(env))).toEqual({
      bodyTimeoutMs: 3000,
      bodyIdleMs: 1000,
      bufferBytes: 1024,
      maxUploads: 2,
      maxQueued: 0,
    });
  });

  it.each([
    ['PLAYGROUND_BODY_TIMEOUT_MS', '0'],
    ['PLAYGROUND_BODY_IDLE_MS', 'soon'],
    ['PLAYGROUND_MAX_UPLOADS', '0'],
    ['PLAYGROUND_MAX_QUEUED', '-1'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadSettings({ [name]: value })).toThrow(SettingsError);
    expect(() => loadSettings({ [name]: value })).toThrow(`${name}="${value}"`);
  });
});
