/**
 * Done when: every Keras 3.15 model fixture loads from its `.keras`, its legacy `.h5` and (into a model built
 * from its config) its `.weights.h5`, from a path, a URL and bytes, and predicts within 1e-5 of Keras; a TF.js
 * model.json written here loads; Keras 2 / tf.keras files written here with the HDF5 writer load with Keras 2's
 * meanings (hard_sigmoid = 0.2x + 0.5), visibly, and keep them through a save.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardSigmoidKeras2 } from '../../src/activations/index.js';
import { readKerasArchive } from '../../src/io/keras-archive.js';
import { readKerasWeights } from '../../src/io/keras-weights.js';
import { writeTfjsModel } from '../../src/io/tfjs.js';
import { modelFromKerasConfig } from '../../src/keras/model-config.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import type { Model } from '../../src/models/model.js';
import { loadModel } from '../../src/keras/load-model.js';
import { Sequential } from '../../src/models/sequential.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { loadFixture, maxAbsDiff, toTensor, type FixtureTensor } from '../helpers/fixtures.js';
import { keras22Forecaster, keras2File, tfKerasTagger } from './keras2-files.js';
import { loadModelFixture, MODEL_NAMES, modelFileBytes, modelFilePath, type ModelName } from './model-fixtures.js';

interface PredictFixture {
  inputs: { x: FixtureTensor };
  outputs: FixtureTensor[];
  weights: FixtureTensor[];
}

function fixtureInput(name: ModelName): Tensor {
  const fx = loadFixture<PredictFixture>(`model-${name}`);
  return toTensor(fx.inputs.x, name === 'text_classifier' ? 'int32' : 'float32');
}

/** Largest |ours − Keras| over `model.predict(inputs.x)`. */
function deviation(model: Model, name: ModelName): number {
  const fx = loadFixture<PredictFixture>(`model-${name}`);
  return maxAbsDiff(model.predict(fixtureInput(name)) as Tensor, fx.outputs[0]!);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keras-gru-load-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadModel: the Keras 3.15 fixtures', () => {
  it.each(MODEL_NAMES)('%s.keras from a path predicts within 1e-5 of Keras', async (name) => {
    const model = await loadModel(modelFilePath(`${name}.keras`));
    expect(deviation(model, name)).toBeLessThan(1e-5);
    expect(model.name).toBe(name);
    expect(model.className).toBe(name === 'tagger' ? 'Functional' : 'Sequential');
    expect(model.loadedFrom).toEqual({
      file: modelFilePath(`${name}.keras`),
      format: 'keras',
      kerasVersion: '3.15.1',
      semantics: 3,
    });
  });

  it.each(MODEL_NAMES)('%s.h5 (legacy) from bytes predicts within 1e-5 of Keras', async (name) => {
    const model = await loadModel(modelFileBytes(`${name}.h5`));
    expect(deviation(model, name)).toBeLessThan(1e-5);
    expect(model.loadedFrom).toMatchObject({
      file: '<bytes>',
      format: 'legacy-h5',
      kerasVersion: '3.15.1',
      semantics: 3,
    });
  });

  it.each(MODEL_NAMES)(
    '%s.weights.h5 into a model built from the config predicts within 1e-5 of Keras',
    async (name) => {
      const fixture = loadModelFixture(name);
      const model = modelFromKerasConfig(fixture.config);
      const before = deviation(model, name);
      await model.loadWeights(modelFilePath(`${name}.weights.h5`));
      expect(deviation(model, name)).toBeLessThan(1e-5);
      expect(before).toBeGreaterThan(1e-3);
      // A .keras file serves as a weights source too.
      const other = modelFromKerasConfig(fixture.config);
      await other.loadWeights(modelFileBytes(`${name}.keras`));
      expect(deviation(other, name)).toBeLessThan(1e-5);
    },
  );

  it('from a URL (fetch) and a file: URL', async () => {
    const requested: string[] = [];
    const fetch = async (url: string) => {
      requested.push(url);
      return new Response(modelFileBytes('forecaster.keras').buffer as ArrayBuffer);
    };
    const model = await loadModel('https://models.example/forecaster.keras', { fetch });
    expect(requested).toEqual(['https://models.example/forecaster.keras']);
    expect(deviation(model, 'forecaster')).toBeLessThan(1e-5);
    expect(model.loadedFrom?.file).toBe('https://models.example/forecaster.keras');
    const fromFileUrl = await loadModel(pathToFileURL(modelFilePath('tagger.keras')));
    expect(deviation(fromFileUrl, 'tagger')).toBeLessThan(1e-5);
  });

  it('compiles as the file records (an uncompiled model stays uncompiled)', async () => {
    const model = await loadModel(modelFilePath('forecaster.keras'));
    expect(model.compiled).toBe(false);
    const compiled = modelFromKerasConfig(loadModelFixture('forecaster').config);
    compiled.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const reloaded = await loadModel(await compiled.toBytes());
    expect(reloaded.compiled).toBe(true);
    expect(reloaded.optimizer?.constructor.name).toBe('Adam');
    expect(reloaded.metricsNames).toEqual(['loss', 'mae']);
    expect((await loadModel(await compiled.toBytes(), { compile: false })).compiled).toBe(false);
  });
});

describe('loadModel: TF.js layers models written here', () => {
  it.each(MODEL_NAMES)('%s: model.json by path finds its shards beside it', async (name) => {
    const fixture = loadModelFixture(name);
    const layers = await readKerasWeights(modelFileBytes(`${name}.weights.h5`), fixture.config);
    const { modelJson, shards } = writeTfjsModel({ config: fixture.config, layers, shardSizeBytes: 512 });
    const target = mkdtempSync(join(dir, `tfjs-${name}-`));
    writeFileSync(join(target, 'model.json'), JSON.stringify(modelJson));
    for (const shard of shards) writeFileSync(join(target, shard.path), shard.data);
    expect(shards.length).toBeGreaterThan(1);
    const model = await loadModel(join(target, 'model.json'));
    expect(deviation(model, name)).toBeLessThan(1e-5);
    expect(model.loadedFrom).toMatchObject({ format: 'tfjs', kerasVersion: 'keras-gru', semantics: 3 });
    // Bytes need their shards passed.
    const fromBytes = await loadModel(new TextEncoder().encode(JSON.stringify(modelJson)), {
      shards: Object.fromEntries(shards.map((s) => [s.path, s.data])),
    });
    expect(deviation(fromBytes, name)).toBeLessThan(1e-5);
  });

  it('a model.json from tfjs-layers reads with Keras 2 meanings', async () => {
    const fixture = loadModelFixture('forecaster');
    const layers = await readKerasWeights(modelFileBytes('forecaster.weights.h5'), fixture.config);
    const { modelJson, shards } = writeTfjsModel({
      config: fixture.config,
      layers,
      kerasVersion: 'tfjs-layers 4.22.0',
    });
    const model = await loadModel(new TextEncoder().encode(JSON.stringify(modelJson)), {
      shards: { [shards[0]!.path]: shards[0]!.data },
    });
    expect(model.loadedFrom?.semantics).toBe(2);
    expect((model.layers[0] as GRU).recurrentActivation).toBe(hardSigmoidKeras2);
  });
});

describe('loadModel: Keras 2 and tf.keras files (written here with the HDF5 writer)', () => {
  const forecaster = loadFixture<PredictFixture>('model-forecaster');
  const tagger = loadFixture<PredictFixture>('model-tagger');

  /** The forecaster built by hand with Keras 2's hard_sigmoid: what a Keras 2 file of it computes. */
  function keras2Reference(): Tensor {
    const model = new Sequential([
      input({ shape: [20, 3] }),
      new GRU({ units: 12, goBackwards: true, recurrentActivation: hardSigmoidKeras2, resetAfter: false }),
      new Dense({ units: 1 }),
    ]);
    model.setWeights(forecaster.weights.map((w) => toTensor(w)));
    return model.predict(toTensor(forecaster.inputs.x));
  }

  async function keras22Bytes(config: unknown = keras22Forecaster()): Promise<Uint8Array> {
    return keras2File(
      config,
      [
        {
          name: 'gru_1',
          weightNames: ['gru_1/kernel:0', 'gru_1/recurrent_kernel:0', 'gru_1/bias:0'],
          weights: forecaster.weights.slice(0, 3),
        },
        { name: 'dense_1', weightNames: ['dense_1/kernel:0', 'dense_1/bias:0'], weights: forecaster.weights.slice(3) },
      ],
      { kerasVersion: '2.2.4' },
    );
  }

  it('Keras 2.2 (TF 1.x names, bias [3U], no reset_after): hard_sigmoid is 0.2x + 0.5, and says so', async () => {
    const model = await loadModel(await keras22Bytes());
    expect(model.loadedFrom).toMatchObject({ format: 'legacy-h5', kerasVersion: '2.2.4', semantics: 2 });
    const gru = model.layers[0] as GRU;
    expect(gru.recurrentActivation).toBe(hardSigmoidKeras2);
    expect(gru.cell.resetAfter).toBe(false);
    const y = model.predict(toTensor(forecaster.inputs.x)) as Tensor;
    expect(maxAbsDiff(y, { shape: [...y.shape], data: Array.from(keras2Reference().dataSync()) })).toBe(0);
    // Keras 3's hard_sigmoid would give something else: the version matters.
    expect(maxAbsDiff(y, forecaster.outputs[0]!)).toBeGreaterThan(1e-3);
    // Read as Keras 3 on request, it computes what Keras 3 computes (given reset_after, which Keras 3 defaults to true).
    const config = keras22Forecaster() as { config: { config: Record<string, unknown> }[] };
    config.config[0]!.config.reset_after = false;
    const asKeras3 = await loadModel(await keras22Bytes(config), { kerasVersion: 3 });
    expect(asKeras3.loadedFrom?.semantics).toBe(3);
    expect(maxAbsDiff(asKeras3.predict(toTensor(forecaster.inputs.x)) as Tensor, forecaster.outputs[0]!)).toBeLessThan(
      1e-5,
    );
  });

  it('a Keras 2 model saved by keras-gru keeps Keras 2 hard_sigmoid (as hard_sigmoid_keras2) and its predictions', async () => {
    const model = await loadModel(await keras22Bytes());
    const bytes = await model.toBytes();
    const archive = await readKerasArchive(bytes);
    const gruEntry = (archive.config.config as { layers: { config: Record<string, unknown> }[] }).layers[1]!;
    expect(gruEntry.config.recurrent_activation).toEqual({
      module: null,
      class_name: 'function',
      config: 'hard_sigmoid_keras2',
      registered_name: 'hard_sigmoid_keras2',
    });
    expect(archive.metadata.keras_version).toBe('3.15.1');
    const again = await loadModel(bytes);
    expect(again.loadedFrom?.semantics).toBe(3);
    expect((again.layers[0] as GRU).recurrentActivation).toBe(hardSigmoidKeras2);
    expect(Array.from((again.predict(toTensor(forecaster.inputs.x)) as Tensor).dataSync())).toEqual(
      Array.from(keras2Reference().dataSync()),
    );
  });

  it('tf.keras 2.x functional (legacy inbound_nodes, Bidirectional without backward_layer) predicts as Keras', async () => {
    const w = tagger.weights;
    const cell = (direction: string) =>
      ['kernel', 'recurrent_kernel', 'bias'].map((v) => `bidirectional/${direction}_gru/gru_cell/${v}:0`);
    const bytes = await keras2File(tfKerasTagger(), [
      { name: 'input_1', weightNames: [], weights: [] },
      { name: 'masking', weightNames: [], weights: [] },
      { name: 'bidirectional', weightNames: [...cell('forward'), ...cell('backward')], weights: w.slice(0, 6) },
      {
        name: 'time_distributed',
        weightNames: ['time_distributed/kernel:0', 'time_distributed/bias:0'],
        weights: w.slice(6),
      },
    ]);
    const model = await loadModel(bytes);
    expect(model.loadedFrom?.semantics).toBe(2);
    expect(maxAbsDiff(model.predict(toTensor(tagger.inputs.x)) as Tensor, tagger.outputs[0]!)).toBeLessThan(1e-5);
    // Its Keras 3 config lists what Keras 3 would: InputLayer, Masking, Bidirectional, TimeDistributed.
    const layers = (model.getConfig().layers as { class_name: string; inbound_nodes: unknown[] }[]).map(
      (l) => l.class_name,
    );
    expect(layers).toEqual(['InputLayer', 'Masking', 'Bidirectional', 'TimeDistributed']);
  });

  it('a Keras 2 weights-only .h5 loads in order into a model with other layer names', async () => {
    const bytes = await keras2File(
      undefined,
      [
        {
          name: 'gru_1',
          weightNames: ['gru_1/kernel:0', 'gru_1/recurrent_kernel:0', 'gru_1/bias:0'],
          weights: forecaster.weights.slice(0, 3),
        },
        { name: 'dense_1', weightNames: ['dense_1/kernel:0', 'dense_1/bias:0'], weights: forecaster.weights.slice(3) },
      ],
      { weightsOnly: true },
    );
    const model = modelFromKerasConfig(loadModelFixture('forecaster').config);
    await model.loadWeights(bytes);
    expect(deviation(model, 'forecaster')).toBeLessThan(1e-5);
    // By name, the names must match.
    await expect(
      modelFromKerasConfig(loadModelFixture('forecaster').config).loadWeights(bytes, { byName: true }),
    ).rejects.toMatchObject({
      layer: 'gru_29',
    });
  });
});
