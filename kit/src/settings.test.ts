import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseUrl, port, readSettings, SettingsError } from './settings.js';

const Settings = z.object({ PORT: port(4001), USER_SERVICE_URL: baseUrl('http://127.0.0.1:4001') });

describe('readSettings', () => {
  it('applies defaults and coerces values', () => {
    expect(readSettings(Settings, {})).toEqual({ PORT: 4001, USER_SERVICE_URL: 'http://127.0.0.1:4001' });
    expect(readSettings(Settings, { PORT: '5000' }).PORT).toBe(5000);
  });

  it.each([
    [{ PORT: '80' }, /PORT="80"/],
    [{ PORT: '70000' }, /PORT="70000"/],
    [{ PORT: 'x' }, /PORT="x"/],
    [{ PORT: '6000' }, /PORT="6000" \(is one that browsers and Node's fetch refuse to call/],
    [{ USER_SERVICE_URL: 'user:4001' }, /USER_SERVICE_URL="user:4001"/],
    [{ USER_SERVICE_URL: 'ftp://127.0.0.1' }, /USER_SERVICE_URL/],
  ])('refuses %o naming the setting', (env, pattern) => {
    expect(() => readSettings(Settings, env)).toThrow(SettingsError);
    expect(() => readSettings(Settings, env)).toThrow(pattern);
  });
});
