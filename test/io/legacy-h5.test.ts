import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../src/io/errors.js';
import { readH5 } from '../../src/io/h5-read.js';
import {
  h5Dataset,
  h5Group,
  numericAttribute,
  setDataset,
  stringAttribute,
  type H5Group,
} from '../../src/io/h5-tree.js';
import { writeH5 } from '../../src/io/h5-write.js';
import { legacyWeightsByLayer, readLegacyH5 } from '../../src/io/legacy-h5.js';
import { pythonJsonDumps } from '../../src/io/python-json.js';
import {
  expectFixtureWeightNames,
  expectFixtureWeights,
  loadModelFixture,
  MODEL_NAMES,
  modelFileBytes,
} from './model-fixtures.js';

/** h5py's rendering of Python `bytes` / numpy `S` arrays, as Keras 2 wrote every string: fixed-length ASCII. */
const bytesAttribute = (value: string | string[]) => stringAttribute(value, { charset: 'ascii', length: 'longest' });

interface Keras2Layer {
  name: string;
  /** Keras 2 variable names, e.g. `gru_1/kernel:0` or `gru/gru_cell/kernel:0`. */
  weightNames: string[];
  weights: { shape: number[]; data: number[] }[];
}

/**
 * A Keras 2 / tf.keras full-model .h5 as `keras.engine.saving.save_model` (2.2) and
 * `tensorflow/python/keras/saving/hdf5_format.py` (2.x) write it, with our HDF5 writer.
 */
function keras2ModelTree(
  config: unknown,
  layers: Keras2Layer[],
  options: { weightsOnly?: boolean; kerasVersion?: string } = {},
): H5Group {
  const version = options.kerasVersion ?? '2.4.0';
  const weightsGroup = h5Group({
    attrs: {
      layer_names: bytesAttribute(layers.map((layer) => layer.name)),
      backend: bytesAttribute('tensorflow'),
      keras_version: bytesAttribute(version),
    },
  });
  for (const layer of layers) {
    const group = h5Group({
      attrs: {
        // h5py stores an empty list of names as an empty float64 array.
        weight_names:
          layer.weightNames.length > 0 ? bytesAttribute(layer.weightNames) : numericAttribute(new Float64Array(0)),
      },
    });
    layer.weightNames.forEach((name, i) =>
      setDataset(group, name, h5Dataset(Float32Array.from(layer.weights[i]!.data), layer.weights[i]!.shape)),
    );
    weightsGroup.groups[layer.name] = group;
  }
  if (options.weightsOnly) return weightsGroup;
  return h5Group({
    attrs: {
      keras_version: bytesAttribute(version),
      backend: bytesAttribute('tensorflow'),
      model_config: bytesAttribute(pythonJsonDumps(config)),
      training_config: bytesAttribute(
        pythonJsonDumps({ loss: 'mse', metrics: [], optimizer_config: { class_name: 'Adam', config: { lr: 0.001 } } }),
      ),
    },
    groups: { model_weights: weightsGroup },
  });
}

/** A Keras 2.2 (TF 1.x) Sequential config for the forecaster's architecture: GRU(12, reset_after=False) → Dense(1). */
function keras22ForecasterConfig() {
  const gru = {
    name: 'gru_1',
    trainable: true,
    batch_input_shape: [null, 20, 3],
    dtype: 'float32',
    return_sequences: false,
    return_state: false,
    go_backwards: true,
    stateful: false,
    unroll: false,
    units: 12,
    activation: 'tanh',
    recurrent_activation: 'hard_sigmoid',
    use_bias: true,
    kernel_initializer: {
      class_name: 'VarianceScaling',
      config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null },
    },
    recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 1, seed: null } },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    recurrent_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    recurrent_constraint: null,
    bias_constraint: null,
    dropout: 0,
    recurrent_dropout: 0,
    implementation: 1,
    reset_after: false,
  };
  const dense = { name: 'dense_1', trainable: true, units: 1, activation: 'linear', use_bias: true };
  return {
    class_name: 'Sequential',
    config: {
      name: 'sequential_1',
      layers: [
        { class_name: 'GRU', config: gru },
        { class_name: 'Dense', config: dense },
      ],
    },
  };
}

describe('legacy .h5 (Keras 3 files)', () => {
  it.each(MODEL_NAMES)(
    '%s.h5: versions, config, and each layer of layer_names with exactly the get_weights() numbers',
    async (name) => {
      const fixture = loadModelFixture(name);
      const file = await readLegacyH5(modelFileBytes(`${name}.h5`), { file: `${name}.h5` });
      expect(file.kerasVersion).toBe('3.15.1');
      expect(file.backend).toBe('tensorflow');
      expect(file.trainingConfig).toBeUndefined();
      expect(file.config?.class_name).toBe(fixture.config.class_name);
      expect((file.config?.config as { name: string }).name).toBe((fixture.config.config as { name: string }).name);
      expectFixtureWeights(file.layers, fixture);
      expectFixtureWeightNames(file.layers, fixture);
    },
  );

  it('lists layers in layer_names order with their classes from model_config, weightless ones included', async () => {
    const file = await readLegacyH5(modelFileBytes('tagger.h5'));
    expect(file.layers.map((layer) => [layer.layerName, layer.className, layer.weights.length])).toEqual([
      ['input_layer_7', 'InputLayer', 0],
      ['masking', 'Masking', 0],
      ['bidirectional', 'Bidirectional', 6],
      ['time_distributed', 'TimeDistributed', 2],
    ]);
  });
});

describe('legacy .h5 (Keras 2 / tf.keras layouts, written here with our HDF5 writer)', () => {
  const forecaster = loadModelFixture('forecaster');

  it('Keras 2.2 on TF 1.x: gru_1/kernel:0, bias [3U], fixed-length byte strings', async () => {
    const config = keras22ForecasterConfig();
    const tree = keras2ModelTree(
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
    const bytes = await writeH5(tree);
    // What the bytes hold: fixed-length ASCII strings and datasets under groups named by the weight names.
    const raw = await readH5(bytes);
    expect(raw.attrs.model_config).toMatchObject({ type: 'string', charset: 'ascii' });
    expect((raw.attrs.model_config as { length: number | null }).length).toBeGreaterThan(0);
    expect(Object.keys(raw.groups.model_weights!.groups.gru_1!.groups.gru_1!.datasets).sort()).toEqual([
      'bias:0',
      'kernel:0',
      'recurrent_kernel:0',
    ]);

    const file = await readLegacyH5(bytes, { file: 'keras2.h5' });
    expect(file.kerasVersion).toBe('2.2.4');
    expect(file.config).toEqual(JSON.parse(JSON.stringify(config)));
    expect(file.trainingConfig).toMatchObject({ loss: 'mse' });
    expect(file.layers.map((layer) => [layer.layerName, layer.className])).toEqual([
      ['gru_1', 'GRU'],
      ['dense_1', 'Dense'],
    ]);
    expect(file.layers[0]!.weights.map((weight) => [weight.name, weight.shape])).toEqual([
      ['gru_1/kernel', [3, 36]],
      ['gru_1/recurrent_kernel', [12, 36]],
      ['gru_1/bias', [36]],
    ]);
    expectFixtureWeights(file.layers, forecaster);
  });

  it('tf.keras 2.x: functional with an InputLayer, gru/gru_cell/kernel:0, Bidirectional forward/backward, bias [2,3U]', async () => {
    const tagger = loadModelFixture('tagger');
    const w = tagger.weights;
    const config = {
      class_name: 'Functional',
      config: {
        name: 'model',
        layers: [
          {
            class_name: 'InputLayer',
            config: { name: 'input_1', batch_input_shape: [null, null, 4], dtype: 'float32' },
            name: 'input_1',
            inbound_nodes: [],
          },
          {
            class_name: 'Masking',
            config: { name: 'masking', mask_value: 0 },
            name: 'masking',
            inbound_nodes: [[['input_1', 0, 0, {}]]],
          },
          {
            class_name: 'Bidirectional',
            config: {
              name: 'bidirectional',
              layer: { class_name: 'GRU', config: { name: 'gru', units: 6 } },
              merge_mode: 'concat',
            },
            name: 'bidirectional',
            inbound_nodes: [[['masking', 0, 0, {}]]],
          },
          {
            class_name: 'TimeDistributed',
            config: { name: 'time_distributed', layer: { class_name: 'Dense', config: { name: 'dense', units: 2 } } },
            name: 'time_distributed',
            inbound_nodes: [[['bidirectional', 0, 0, {}]]],
          },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['time_distributed', 0, 0]],
      },
    };
    const cell = (direction: string) =>
      ['kernel', 'recurrent_kernel', 'bias'].map((v) => `bidirectional/${direction}_gru/gru_cell/${v}:0`);
    const tree = keras2ModelTree(config, [
      { name: 'input_1', weightNames: [], weights: [] },
      { name: 'masking', weightNames: [], weights: [] },
      { name: 'bidirectional', weightNames: [...cell('forward'), ...cell('backward')], weights: w.slice(0, 6) },
      {
        name: 'time_distributed',
        weightNames: ['time_distributed/kernel:0', 'time_distributed/bias:0'],
        weights: w.slice(6),
      },
    ]);
    const file = await readLegacyH5(await writeH5(tree));
    expect(file.layers.map((layer) => [layer.layerName, layer.className, layer.weights.length])).toEqual([
      ['input_1', 'InputLayer', 0],
      ['masking', 'Masking', 0],
      ['bidirectional', 'Bidirectional', 6],
      ['time_distributed', 'TimeDistributed', 2],
    ]);
    expect(file.layers[2]!.weights.map((weight) => weight.name)).toEqual(
      [...cell('forward'), ...cell('backward')].map((n) => n.slice(0, -2)),
    );
    expect(file.layers[2]!.weights[2]!.shape).toEqual([2, 18]);
    expectFixtureWeights(file.layers, tagger);
  });

  it('Keras 2 weights-only .h5 (save_weights): layer_names at the root', async () => {
    const tree = keras2ModelTree(
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
    const file = await readLegacyH5(await writeH5(tree));
    expect(file.config).toBeUndefined();
    expect(file.kerasVersion).toBe('2.4.0');
    expect(file.layers.map((layer) => [layer.layerName, layer.className])).toEqual([
      ['gru_1', ''],
      ['dense_1', ''],
    ]);
    expectFixtureWeights(file.layers, forecaster);
  });

  it('reads weight_names that Keras split into weight_names0, weight_names1, ... (attributes over 64 KiB)', async () => {
    const names = ['gru_1/kernel:0', 'gru_1/recurrent_kernel:0', 'gru_1/bias:0'];
    const tree = keras2ModelTree(keras22ForecasterConfig(), [
      { name: 'gru_1', weightNames: names, weights: forecaster.weights.slice(0, 3) },
      { name: 'dense_1', weightNames: ['dense_1/kernel:0', 'dense_1/bias:0'], weights: forecaster.weights.slice(3) },
    ]);
    const gru = tree.groups.model_weights!.groups.gru_1!;
    delete gru.attrs.weight_names;
    gru.attrs.weight_names0 = bytesAttribute(names.slice(0, 2));
    gru.attrs.weight_names1 = bytesAttribute(names.slice(2));
    const file = await readLegacyH5(await writeH5(tree));
    expectFixtureWeights(file.layers, forecaster);
  });

  describe('typed errors', () => {
    it('for an HDF5 file that is not a Keras file', async () => {
      const bytes = await writeH5(h5Group({ groups: { other: h5Group() } }));
      await expect(readLegacyH5(bytes, { file: 'x.h5' })).rejects.toMatchObject({ file: 'x.h5', path: '/' });
      await expect(readLegacyH5(bytes)).rejects.toBeInstanceOf(FileFormatError);
    });

    it('for a listed layer or weight that is missing', async () => {
      const tree = await readH5(modelFileBytes('forecaster.h5'));
      const weights = tree.groups.model_weights!;
      delete weights.groups.dense_6!.groups.forecaster!.groups.dense_6!.datasets.bias;
      expect(() => legacyWeightsByLayer(tree, { file: 'f.h5' })).toThrowError(FileFormatError);
      delete weights.groups.dense_6;
      expect(() => legacyWeightsByLayer(tree, { file: 'f.h5' })).toThrowError(/layer_names lists 'dense_6'/);
    });

    it('for a model_config that is not JSON', async () => {
      const tree = await readH5(modelFileBytes('forecaster.h5'));
      tree.attrs.model_config = stringAttribute('{not json');
      await expect(readLegacyH5(await writeH5(tree))).rejects.toMatchObject({ path: '/@model_config' });
    });
  });
});
