// Prints one 10 MB line, then the error, and exits before it listens.
process.stdout.write(`${'x'.repeat(10 * 1024 * 1024)}\n`, () => {
  console.error('Error: the flood is over');
  process.exit(1);
});
