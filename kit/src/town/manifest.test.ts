import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManifestError, readManifest } from './manifest.js';

let root: string;
afterEach(() => rm(root, { recursive: true, force: true }));

async function townWith(manifest: unknown) {
  root = await mkdtemp(join(import.meta.dirname, '..', '..', '..', '.tmp', 'manifest-'));
  await mkdir(join(root, 'services', 'parcel-service'), { recursive: true });
  await writeFile(join(root, 'services', 'parcel-service', 'service.json'), JSON.stringify(manifest));
}

describe('readManifest', () => {
  it('reads a manifest, filling calls and resources', async () => {
    await townWith({ name: 'parcel', port: 4105 });
    expect(await readManifest(root, 'parcel')).toMatchObject({
      name: 'parcel',
      port: 4105,
      calls: [],
      resources: {},
    });
  });

  it.each([
    [{ name: 'parcel', port: 6000 }, /service\.json: port is one that browsers and Node's fetch refuse/],
    [{ name: 'parcel', port: 80 }, /service\.json: port /],
    [{ name: 'shipping', port: 4105 }, /says "name": "shipping", but its folder is parcel-service/],
  ])('refuses %j in one line naming the file and the field', async (manifest, message) => {
    await townWith(manifest);
    const reading = readManifest(root, 'parcel');
    await expect(reading).rejects.toThrow(ManifestError);
    await expect(reading).rejects.toThrow(message);
  });
});
