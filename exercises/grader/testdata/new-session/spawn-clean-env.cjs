// Starts ../detached/serve.cjs detached, with a fresh environment of its own, and stays: neither the process group
// nor the grader's mark in the environment follows the child.
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const { PORT, HOST, LEFTOVER_DIR } = process.env;
if (LEFTOVER_DIR)
  writeFileSync(join(LEFTOVER_DIR, `${process.pid}.json`), JSON.stringify({ pid: process.pid }));
const env = { PORT, HOST, ...(LEFTOVER_DIR ? { LEFTOVER_DIR } : {}) };
spawn(process.execPath, [join(__dirname, '..', 'detached', 'serve.cjs')], {
  detached: true,
  stdio: 'ignore',
  env,
}).unref();
setInterval(() => {}, 60_000);
