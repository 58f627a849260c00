// DATA_FILE holds the service's state as JSON. A write goes to a temp file next to it, is fsynced, then renamed
// over DATA_FILE: a crash leaves the old file or the new one, never half of one.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import express from 'express';

const file = process.env.DATA_FILE ?? 'db.json';

export const load = (empty) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : empty);

export function save(state) {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, JSON.stringify(state, null, 2));
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
