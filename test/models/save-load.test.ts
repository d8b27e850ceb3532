/**
 * `model.save` / `toBytes` / `saveWeights` write what Keras 3.15 writes: the fixtures' archives have the same
 * members, config and HDF5 tree as ours for the same model (tested structurally: no Python here), and a model
 * saved by keras-gru loads back with identical predictions. Paths refuse to overwrite unless asked.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { FileExistsError } from '../../src/io/errors.js';
import { readH5 } from '../../src/io/h5-read.js';
import { readKerasArchive } from '../../src/io/keras-archive.js';
import { modelFromKerasConfig, serializeModel } from '../../src/keras/model-config.js';
import { Bidirectional } from '../../src/layers/bidirectional.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Masking } from '../../src/layers/masking.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { loadModel } from '../../src/keras/load-model.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { stripShared } from '../helpers/layer-configs.js';
import { MODEL_NAMES, loadModelFixture, modelFileBytes, modelFilePath } from '../io/model-fixtures.js';
import { expectSameTree } from '../io/tree-compare.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keras-gru-save-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomTensor(seed: number, shape: number[]): Tensor {
  const rng = new Random(seed);
  return tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform() * 2 - 1),
    shape,
  );
}

const values = (t: Tensor | Tensor[]): number[] => Array.from((t as Tensor).dataSync());

describe('saved archives have the layout of Keras’s', () => {
  it.each(MODEL_NAMES)('%s: members, config.json and model.weights.h5 as Keras saved them', async (name) => {
    const model = await loadModel(modelFilePath(`${name}.keras`));
    const ours = await readKerasArchive(await model.toBytes());
    const keras = await readKerasArchive(modelFileBytes(`${name}.keras`));
    expect(ours.members).toEqual(keras.members);
    expect(ours.config).toEqual(stripShared(keras.config));
    expect(Object.keys(ours.metadata)).toEqual(Object.keys(keras.metadata));
    expect(ours.metadata.keras_version).toBe('3.15.1');
    // Every group, dataset (dtype, shape, numbers) and attribute of Keras's weights file.
    expectSameTree(ours.weights, keras.weights);
    // saveWeights gives the tree of Keras's own .weights.h5.
    expectSameTree(await readH5(await model.saveWeights()), await readH5(modelFileBytes(`${name}.weights.h5`)));
  });

  it('a compiled model records compile_config as Keras does', async () => {
    const model = modelFromKerasConfig(loadModelFixture('forecaster').config);
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const { config } = await readKerasArchive(await model.toBytes());
    const compile = config.compile_config as Record<string, unknown>;
    expect(Object.keys(compile)).toEqual([
      'optimizer',
      'loss',
      'loss_weights',
      'metrics',
      'weighted_metrics',
      'run_eagerly',
      'steps_per_execution',
      'jit_compile',
    ]);
    expect(compile.loss).toBe('mse');
    expect(compile.metrics).toEqual(['mae']);
    expect(compile.optimizer).toMatchObject({ module: 'keras.optimizers', class_name: 'Adam' });
  });
});

describe('a model saved by keras-gru loads back with identical predictions', () => {
  it('a trained Sequential model through save(path) and loadModel(path)', async () => {
    const model = new Sequential([
      input({ shape: [7, 3] }),
      new GRU({ units: 5, returnSequences: true }),
      new GRU({ units: 4, resetAfter: false }),
      new Dense({ units: 2 }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = randomTensor(1, [6, 7, 3]);
    await model.fit(x, randomTensor(2, [6, 2]), { epochs: 2, verbose: 0 });
    const path = join(dir, 'trained.keras');
    await model.save(path);
    const again = await loadModel(path);
    expect(values(again.predict(x) as Tensor)).toEqual(values(model.predict(x) as Tensor));
    expect(again.compiled).toBe(true);
  });

  it('a masked functional model, and weights through saveWeights(path) and loadWeights(path)', async () => {
    const x = input({ shape: [null, 3] });
    const h = new Bidirectional({ layer: new GRU({ units: 4, returnSequences: true }), mergeMode: 'sum' }).apply(
      new Masking().apply(x),
    );
    const model = new Model({ inputs: x, outputs: new Dense({ units: 1 }).apply(h as SymbolicTensor) });
    const data = randomTensor(3, [2, 5, 3]);
    const again = await loadModel(await model.toBytes());
    expect(values(again.predict(data) as Tensor)).toEqual(values(model.predict(data) as Tensor));
    const path = join(dir, 'masked.weights.h5');
    await model.saveWeights(path);
    const fresh = modelFromKerasConfig(serializeModel(model));
    expect(values(fresh.predict(data) as Tensor)).not.toEqual(values(model.predict(data) as Tensor));
    await fresh.loadWeights(path);
    expect(values(fresh.predict(data) as Tensor)).toEqual(values(model.predict(data) as Tensor));
  });

  it('refuses to overwrite unless asked, and wants Keras’s suffixes', async () => {
    const model = modelFromKerasConfig(loadModelFixture('forecaster').config);
    const path = join(dir, 'existing.keras');
    writeFileSync(path, 'keep me');
    await expect(model.save(path)).rejects.toBeInstanceOf(FileExistsError);
    await expect(model.save(path)).rejects.toMatchObject({ file: path });
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    await model.save(path, { overwrite: true });
    expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK');
    const weightsPath = join(dir, 'w.weights.h5');
    await model.saveWeights(weightsPath);
    await expect(model.saveWeights(weightsPath)).rejects.toBeInstanceOf(FileExistsError);
    // A legacy .h5 is a model file (test/io/tfjs-files.test.ts), never a weights file.
    await expect(model.save(join(dir, 'model.txt'))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(model.saveWeights(join(dir, 'model.h5'))).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(existsSync(join(dir, 'model.h5'))).toBe(false);
    expect(existsSync(join(dir, 'model.txt'))).toBe(false);
  });
});
