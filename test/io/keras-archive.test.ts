import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../src/io/errors.js';
import { readH5 } from '../../src/io/h5-read.js';
import {
  formatDateSaved,
  KERAS_FORMAT_VERSION,
  readKerasArchive,
  writeKerasArchive,
} from '../../src/io/keras-archive.js';
import { kerasWeightsByLayer } from '../../src/io/keras-weights.js';
import { expectFixtureWeights, loadModelFixture, MODEL_NAMES, modelFileBytes } from './model-fixtures.js';
import { expectSameTree } from './tree-compare.js';

async function formatError(promise: Promise<unknown>): Promise<FileFormatError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FileFormatError);
    return error as FileFormatError;
  }
  throw new Error('expected a FileFormatError');
}

describe('.keras archives', () => {
  it.each(MODEL_NAMES)('%s.keras: config, metadata and weights equal to what Keras saved', async (name) => {
    const fixture = loadModelFixture(name);
    const archive = await readKerasArchive(modelFileBytes(`${name}.keras`), { file: `${name}.keras` });
    expect(archive.members).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    expect(archive.config).toEqual(fixture.config);
    expect(archive.metadata.keras_version).toBe('3.15.1');
    expect(archive.metadata.date_saved).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
    expectFixtureWeights(kerasWeightsByLayer(archive.weights, archive.config), fixture);
  });

  it.each(MODEL_NAMES)(
    '%s: writes the members, config and weights tree of the Keras-saved archive; round trip is exact',
    async (name) => {
      const fixture = loadModelFixture(name);
      const original = await readKerasArchive(modelFileBytes(`${name}.keras`));
      const layers = kerasWeightsByLayer(original.weights, original.config);
      const date = new Date(2026, 0, 2, 3, 4, 5);
      const bytes = await writeKerasArchive({ config: original.config, layers, date });
      const written = await readKerasArchive(bytes);
      expect(written.members).toEqual(original.members);
      expect(written.config).toEqual(original.config);
      expect(Object.keys(written.metadata)).toEqual(Object.keys(original.metadata));
      expect(written.metadata).toEqual({ keras_version: KERAS_FORMAT_VERSION, date_saved: '2026-01-02@03:04:05' });
      expectSameTree(written.weights, original.weights);
      expectFixtureWeights(kerasWeightsByLayer(written.weights, written.config), fixture);
      // The standalone .weights.h5 Keras wrote holds the same tree as the archive's member.
      expectSameTree(written.weights, await readH5(modelFileBytes(`${name}.weights.h5`)));
    },
  );

  it('stores members uncompressed and writes JSON as Python json.dumps does', async () => {
    const original = await readKerasArchive(modelFileBytes('forecaster.keras'));
    const bytes = await writeKerasArchive({
      config: original.config,
      layers: kerasWeightsByLayer(original.weights, original.config),
    });
    const keras = unzipSync(modelFileBytes('forecaster.keras'));
    const ours = unzipSync(bytes);
    // Same text except for floats Python prints with a ".0" (JSON has one number type).
    const normalize = (text: string) => text.replace(/(\d)\.0(?=[,\]}])/g, '$1');
    expect(strFromU8(ours['config.json']!)).toBe(normalize(strFromU8(keras['config.json']!)));
    expect(strFromU8(ours['metadata.json']!)).toMatch(/^\{"keras_version": "3\.15\.1", "date_saved": "[^"]+"\}$/);
    // Local file headers: compression method 0 (stored) for every member.
    let offset = 0;
    for (let i = 0; i < 3; i++) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
      expect(view.getUint32(0, true)).toBe(0x04034b50);
      expect(view.getUint16(8, true)).toBe(0);
      offset += 30 + view.getUint16(26, true) + view.getUint16(28, true) + view.getUint32(18, true);
    }
  });

  it('formats date_saved as Keras does', () => {
    expect(formatDateSaved(new Date(2026, 10, 25, 19, 4, 54))).toBe('2026-11-25@19:04:54');
  });

  describe('typed errors', () => {
    it('for bytes that are not a zip', async () => {
      const error = await formatError(readKerasArchive(strToU8('{"not": "a zip"}'), { file: 'model.keras' }));
      expect(error.file).toBe('model.keras');
      expect(error.message).toMatch(/not a zip archive/);
    });

    it('for a truncated archive', async () => {
      const bytes = modelFileBytes('forecaster.keras');
      const error = await formatError(readKerasArchive(bytes.slice(0, bytes.length - 200), { file: 'cut.keras' }));
      expect(error.message).toMatch(/damaged or truncated/);
    });

    it('for an archive without config.json', async () => {
      const bytes = zipSync({
        'metadata.json': strToU8('{}'),
        'model.weights.h5': modelFileBytes('forecaster.weights.h5'),
      });
      const error = await formatError(readKerasArchive(bytes));
      expect(error).toMatchObject({ file: '<bytes>', member: 'config.json' });
    });

    it('for a config.json that is not JSON', async () => {
      const bytes = zipSync({ 'config.json': strToU8('{oops') });
      expect(await formatError(readKerasArchive(bytes))).toMatchObject({ member: 'config.json' });
    });

    it('for a weights member that is not HDF5, or is damaged HDF5', async () => {
      const config = strToU8('{"class_name": "Sequential", "config": {"layers": []}}');
      const notH5 = zipSync({ 'config.json': config, 'model.weights.h5': strToU8('not hdf5') });
      const error = await formatError(readKerasArchive(notH5, { file: 'bad.keras' }));
      expect(error).toMatchObject({ file: 'bad.keras', member: 'model.weights.h5' });
      expect(error.message).toMatch(/not an HDF5 file/);
      const h5 = modelFileBytes('forecaster.weights.h5');
      const cut = zipSync({ 'config.json': config, 'model.weights.h5': h5.slice(0, h5.length / 2) });
      const cutError = await formatError(readKerasArchive(cut));
      expect(cutError).toMatchObject({ member: 'model.weights.h5' });
      expect(cutError.message).toMatch(/truncated/);
    });

    it('for an archive without weights', async () => {
      const bytes = zipSync({ 'config.json': strToU8('{}'), 'model.weights.npz': new Uint8Array(4) });
      const error = await formatError(readKerasArchive(bytes));
      expect(error).toMatchObject({ member: 'model.weights.h5' });
      expect(error.message).toMatch(/model\.weights\.npz/);
    });
  });

  it('is readable by the zip tool (when installed)', async () => {
    let unzip = true;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    } catch {
      unzip = false;
    }
    if (!unzip) return;
    const original = await readKerasArchive(modelFileBytes('tagger.keras'));
    const bytes = await writeKerasArchive({
      config: original.config,
      layers: kerasWeightsByLayer(original.weights, original.config),
    });
    const dir = mkdtempSync(join(tmpdir(), 'keras-gru-'));
    try {
      writeFileSync(join(dir, 'tagger.keras'), bytes);
      expect(execFileSync('unzip', ['-tq', join(dir, 'tagger.keras')]).toString()).toMatch(/No errors/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
