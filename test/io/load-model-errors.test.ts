/**
 * Bad files give typed errors naming the file (and the layer and weight where there is one), and no model:
 * truncated or non-zip `.keras`, a zip without config.json, HDF5 with a missing, extra or misshapen weight, a
 * config with an unknown layer class, a file that is not HDF5, a weights-only file given to `loadModel`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileFormatError, SourceError, WeightsMismatchError } from '../../src/io/errors.js';
import { readH5 } from '../../src/io/h5-read.js';
import { h5Dataset, type H5Group } from '../../src/io/h5-tree.js';
import { writeH5 } from '../../src/io/h5-write.js';
import { UnknownLayerError } from '../../src/keras/errors.js';
import { modelFromKerasConfig } from '../../src/keras/model-config.js';
import { loadModel } from '../../src/keras/load-model.js';
import { loadModelFixture, modelFileBytes, modelFilePath } from './model-fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keras-gru-bad-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** A `.keras` archive of the forecaster with its weights tree changed by `edit`. */
async function editedArchive(
  edit: (weights: H5Group) => void,
  config: unknown = loadModelFixture('forecaster').config,
): Promise<Uint8Array> {
  const weights = await readH5(modelFileBytes('forecaster.weights.h5'));
  edit(weights);
  return zipSync({
    'metadata.json': strToU8('{"keras_version": "3.15.1", "date_saved": "2026-01-01@00:00:00"}'),
    'config.json': strToU8(JSON.stringify(config)),
    'model.weights.h5': await writeH5(weights),
  });
}

const gruVars = (weights: H5Group) => weights.groups.layers!.groups.gru!.groups.cell!.groups.vars!;

describe('loadModel and loadWeights: typed errors for bad files', () => {
  it('a truncated .keras', async () => {
    const bytes = modelFileBytes('forecaster.keras');
    const path = file('cut.keras', bytes.slice(0, bytes.length - 300));
    const error = await caught(loadModel(path));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error).toMatchObject({ file: path });
    expect(error.message).toMatch(/truncated/);
  });

  it('a .keras that is not a zip, and a file that is neither zip, HDF5 nor JSON', async () => {
    const path = file('text.keras', 'just some text');
    const error = await caught(loadModel(path));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a Keras file/);
    const weightsError = await caught(
      modelFromKerasConfig(loadModelFixture('forecaster').config).loadWeights(file('x.weights.h5', 'nope')),
    );
    expect(weightsError).toBeInstanceOf(FileFormatError);
    expect(weightsError.message).toMatch(/not a weights file/);
  });

  it('a zip without config.json', async () => {
    const path = file(
      'noconfig.keras',
      zipSync({ 'metadata.json': strToU8('{}'), 'model.weights.h5': modelFileBytes('forecaster.weights.h5') }),
    );
    const error = await caught(loadModel(path));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error).toMatchObject({ file: path, member: 'config.json' });
  });

  it('a missing weight: the file, the layer and the weight are named', async () => {
    const bytes = await editedArchive((w) => {
      delete gruVars(w).datasets['2'];
    });
    const error = await caught(loadModel(bytes));
    expect(error).toBeInstanceOf(WeightsMismatchError);
    expect(error).toMatchObject({
      file: '<bytes>',
      layer: 'gru_29',
      weight: 'gru_cell/bias',
      path: '/layers/gru/cell/vars',
    });
    const tree = await readH5(modelFileBytes('forecaster.weights.h5'));
    delete gruVars(tree).datasets['2'];
    const path = file('missing.weights.h5', await writeH5(tree));
    const model = modelFromKerasConfig(loadModelFixture('forecaster').config);
    const before = model.getWeights().map((t) => Array.from(t.dataSync()));
    const weightsError = await caught(model.loadWeights(path));
    expect(weightsError).toMatchObject({ file: path, layer: 'gru_29' });
    // Nothing was assigned.
    expect(model.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(before);
  });

  it('a misshapen weight, in a .keras and in a legacy .h5', async () => {
    const bytes = await editedArchive((w) => {
      gruVars(w).datasets['1'] = h5Dataset(new Float32Array(11 * 36), [11, 36]);
    });
    const error = await caught(loadModel(bytes));
    expect(error).toBeInstanceOf(WeightsMismatchError);
    expect(error).toMatchObject({ layer: 'gru_29' });
    expect((error as WeightsMismatchError).weight).toContain('recurrent_kernel');
    expect(error.message).toMatch(/shape \[11, 36\] in the file, \[12, 36\] in the model/);
    const legacy = await readH5(modelFileBytes('forecaster.h5'));
    const dense = legacy.groups.model_weights!.groups.dense_6!.groups.forecaster!.groups.dense_6!;
    dense.datasets.kernel = h5Dataset(new Float32Array(13), [13, 1]);
    const path = file('misshapen.h5', await writeH5(legacy));
    const legacyError = await caught(loadModel(path));
    expect(legacyError).toBeInstanceOf(WeightsMismatchError);
    expect(legacyError).toMatchObject({ file: path, layer: 'dense_6' });
    expect((legacyError as WeightsMismatchError).weight).toContain('dense_6/kernel');
  });

  it('a weight count that does not match (one too many, one too few)', async () => {
    const extra = await editedArchive((w) => {
      gruVars(w).datasets['3'] = h5Dataset(new Float32Array(36), [36]);
    });
    expect(await caught(loadModel(extra))).toMatchObject({ layer: 'gru_29', path: '/layers/gru/cell/vars' });
    const legacy = await readH5(modelFileBytes('forecaster.h5'));
    const group = legacy.groups.model_weights!.groups.dense_6!;
    group.attrs.weight_names = {
      ...group.attrs.weight_names!,
      data: ['forecaster/dense_6/kernel'],
      shape: [1],
    } as never;
    const error = await caught(loadModel(await writeH5(legacy)));
    expect(error).toBeInstanceOf(WeightsMismatchError);
    expect(error).toMatchObject({ layer: 'dense_6' });
    expect(error.message).toMatch(/the file has 1 weights .* the model's layer has 2/);
  });

  it('a config with an unknown layer class', async () => {
    const config = structuredClone(loadModelFixture('forecaster').config) as {
      config: { layers: { class_name: string }[] };
    };
    config.config.layers[1]!.class_name = 'CuDNNGRU';
    const path = file('unknown.keras', await editedArchive(() => undefined, config));
    const error = await caught(loadModel(path));
    expect(error).toBeInstanceOf(UnknownLayerError);
    expect(error).toMatchObject({ className: 'CuDNNGRU', layerName: 'gru_29', file: path, path: '$.config.layers[1]' });
    expect(error.message).toContain(path);
  });

  it('a weights-only file given to loadModel, and a path that is not there', async () => {
    const error = await caught(loadModel(modelFilePath('forecaster.weights.h5')));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toMatch(/weights only.*loadWeights/);
    expect(await caught(loadModel(join(dir, 'absent.keras')))).toBeInstanceOf(SourceError);
  });
});

describe('loadModel: compile configs it cannot follow', () => {
  it('loss_weights is refused with a hint, and { compile: false } loads the model uncompiled', async () => {
    const config = structuredClone(loadModelFixture('forecaster').config) as Record<string, unknown>;
    config.compile_config = {
      optimizer: 'adam',
      loss: 'mse',
      loss_weights: [0.5],
      metrics: null,
      weighted_metrics: null,
    };
    const bytes = zipSync({
      'config.json': strToU8(JSON.stringify(config)),
      'model.weights.h5': modelFileBytes('forecaster.weights.h5'),
    });
    const error = await caught(loadModel(bytes));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error).toMatchObject({ member: 'config.json', path: '$.compile_config' });
    expect(error.message).toMatch(/compile: false/);
    expect((await loadModel(bytes, { compile: false })).compiled).toBe(false);
  });
});
