import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

/** Flags that keep Chromium quiet on a machine without network or GPU (Debian's Chromium needs them). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const onPath = (name: string) =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((file) => existsSync(file));

/**
 * The browser for the browser tests, in this order: `CHROMIUM_PATH`, Playwright's own Chromium, /usr/bin/chromium,
 * `google-chrome` on the PATH. Throws one line saying how to get one when there is none.
 */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist; point it at a Chromium or Chrome binary`);
  }
  const candidates = [
    chromium.executablePath(),
    '/usr/bin/chromium',
    onPath('google-chrome'),
    onPath('google-chrome-stable'),
  ];
  const found = candidates.find((file) => file && existsSync(file));
  if (found) return found;
  throw new Error(
    'no Chromium for the browser tests: run `npx playwright install chromium`, ' +
      'or `apt-get install chromium`, or set CHROMIUM_PATH',
  );
}
