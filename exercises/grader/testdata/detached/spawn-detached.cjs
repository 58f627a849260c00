// Starts serve.cjs in a session of its own, as a learner's launcher might, and stays; the child outlives its group.
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

if (process.env.LEFTOVER_DIR) {
  writeFileSync(join(process.env.LEFTOVER_DIR, `${process.pid}.json`), JSON.stringify({ pid: process.pid }));
}
spawn(process.execPath, [join(__dirname, 'serve.cjs')], { detached: true, stdio: 'ignore' }).unref();
setInterval(() => {}, 60_000);
