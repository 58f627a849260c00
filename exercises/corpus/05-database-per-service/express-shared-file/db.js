// user and inventory are the town's catalogue: one JSON file for both, named on the command line (see
// implementation.json), each under its own key. Writes go through a temp file and a rename.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import express from 'express';

const file = process.argv[2] ?? process.env.DATA_FILE ?? 'town.json';
const read = () => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {});

export const load = (key, empty) => read()[key] ?? empty;

export function save(key, value) {
  const doc = { ...read(), [key]: value };
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, JSON.stringify(doc));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
}

export function app() {
  const app = express();
  app.use(express.json());
  return app;
}

export function listen(app, defaultPort) {
  app.use((_req, res) => res.status(404).json({ detail: 'Not Found' }));
  const server = app.listen(Number(process.env.PORT ?? defaultPort), process.env.HOST ?? '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

export const invalid = (res, field, msg) =>
  res.status(422).json({ detail: [{ loc: ['body', field], msg, type: 'value_error' }] });
