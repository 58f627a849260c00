// A service that answers every call with 404, and notes its pid and port in LEFTOVER_DIR for the test to check.
const { writeFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { join } = require('node:path');

const port = Number(process.env.PORT);
if (process.env.LEFTOVER_DIR) {
  writeFileSync(
    join(process.env.LEFTOVER_DIR, `${process.pid}.json`),
    JSON.stringify({ pid: process.pid, port }),
  );
}
createServer((_, res) => {
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
}).listen(port, process.env.HOST);
