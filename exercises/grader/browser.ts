import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * The Chromium to drive, found in this order: CHROMIUM_PATH, Playwright's own browser, Debian's, Google Chrome.
 * Undefined when there is none: a spec that needs a browser then fails with `BROWSER_MISSING` as its hint.
 */
export function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    safe(() => chromium.executablePath()),
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  return candidates.find((path): path is string => Boolean(path && existsSync(path)));
}

const safe = (read: () => string) => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

export const BROWSER_MISSING =
  'no Chromium found: set CHROMIUM_PATH, or run npx playwright install chromium (Debian: apt-get install chromium)';

/** Flags that keep a headless Chromium quiet on a closed network (no update checks, no sync). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
