// Listens; at the first call prints 10 MB in 20,000 lines and one 10 MB line, then the error, and exits.
const { createServer } = require('node:http');

createServer(() => {
  const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'y'.repeat(512)}`).join('\n');
  process.stdout.write(`${lines}\n${'z'.repeat(10 * 1024 * 1024)}\n`, () => {
    console.error('Error: boom after the flood');
    process.exit(3);
  });
}).listen(Number(process.env.PORT), process.env.HOST);
