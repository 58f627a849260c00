import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system's temp folder for one test's data files. */
export const makeTempDir = (label: string) => mkdtemp(join(tmpdir(), `microtown-${label}-`));
