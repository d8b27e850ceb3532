/**
 * Keras 2 / tf.keras model files written here with the library's HDF5 writer (there is no real Keras 2 file in
 * the fixtures): the legacy full-model `.h5` as `keras.engine.saving.save_model` (2.2) and tf.keras's
 * `hdf5_format.py` (2.x) lay it out, fixed-length byte strings included, and the configs those versions write.
 */
import {
  h5Dataset,
  h5Group,
  numericAttribute,
  setDataset,
  stringAttribute,
  type H5Group,
} from '../../src/io/h5-tree.js';
import { writeH5 } from '../../src/io/h5-write.js';
import { pythonJsonDumps } from '../../src/io/python-json.js';
import type { FixtureTensor } from '../helpers/fixtures.js';

/** h5py's rendering of Python `bytes`, as Keras 2 wrote every string: fixed-length ASCII. */
const bytesAttribute = (value: string | string[]) => stringAttribute(value, { charset: 'ascii', length: 'longest' });

export interface Keras2Layer {
  name: string;
  /** Keras 2 variable names, e.g. `gru_1/kernel:0` or `bidirectional/forward_gru/gru_cell/kernel:0`. */
  weightNames: string[];
  weights: FixtureTensor[];
}

export function keras2Tree(
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
    },
    groups: { model_weights: weightsGroup },
  });
}

export async function keras2File(
  config: unknown,
  layers: Keras2Layer[],
  options: { weightsOnly?: boolean; kerasVersion?: string } = {},
): Promise<Uint8Array> {
  return writeH5(keras2Tree(config, layers, options));
}

const glorot = { class_name: 'GlorotUniform', config: { seed: null } };
const orthogonal = { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } };
const zeros = { class_name: 'Zeros', config: {} };

/** A Keras 2 GRU config (tf.keras 2.x keys; `reset_after` left out when undefined, as Keras ≤ 2.2 did). */
export function keras2GruConfig(name: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    trainable: true,
    dtype: 'float32',
    return_sequences: false,
    return_state: false,
    go_backwards: false,
    stateful: false,
    unroll: false,
    time_major: false,
    units: 4,
    activation: 'tanh',
    recurrent_activation: 'hard_sigmoid',
    use_bias: true,
    kernel_initializer: glorot,
    recurrent_initializer: orthogonal,
    bias_initializer: zeros,
    kernel_regularizer: null,
    recurrent_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    recurrent_constraint: null,
    bias_constraint: null,
    dropout: 0.0,
    recurrent_dropout: 0.0,
    implementation: 1,
    ...extra,
  };
}

export function keras2DenseConfig(
  name: string,
  units: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    trainable: true,
    dtype: 'float32',
    units,
    activation: 'linear',
    use_bias: true,
    kernel_initializer: glorot,
    bias_initializer: zeros,
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    ...extra,
  };
}

/**
 * The forecaster's architecture as Keras 2.2 (TF 1.x) saved it: a bare-list Sequential config, the first layer
 * with `batch_input_shape`, a GRU without `reset_after` (Keras 2.2 computed reset_after=false), `hard_sigmoid`.
 */
export function keras22Forecaster(): unknown {
  const gru = keras2GruConfig('gru_1', { batch_input_shape: [null, 20, 3], units: 12, go_backwards: true });
  delete gru.time_major;
  return {
    class_name: 'Sequential',
    config: [
      { class_name: 'GRU', config: gru },
      { class_name: 'Dense', config: keras2DenseConfig('dense_1', 1) },
    ],
  };
}

/** The tagger as tf.keras 2.x saved it: a Functional config with legacy inbound_nodes and an InputLayer. */
export function tfKerasTagger(): unknown {
  const gru = keras2GruConfig('gru', {
    units: 6,
    return_sequences: true,
    recurrent_activation: 'sigmoid',
    reset_after: true,
  });
  return {
    class_name: 'Functional',
    config: {
      name: 'model',
      layers: [
        {
          class_name: 'InputLayer',
          config: {
            batch_input_shape: [null, null, 4],
            dtype: 'float32',
            sparse: false,
            ragged: false,
            name: 'input_1',
          },
          name: 'input_1',
          inbound_nodes: [],
        },
        {
          class_name: 'Masking',
          config: { name: 'masking', trainable: true, dtype: 'float32', mask_value: 0.0 },
          name: 'masking',
          inbound_nodes: [[['input_1', 0, 0, {}]]],
        },
        {
          class_name: 'Bidirectional',
          config: {
            name: 'bidirectional',
            trainable: true,
            dtype: 'float32',
            layer: { class_name: 'GRU', config: gru },
            merge_mode: 'concat',
          },
          name: 'bidirectional',
          inbound_nodes: [[['masking', 0, 0, {}]]],
        },
        {
          class_name: 'TimeDistributed',
          config: {
            name: 'time_distributed',
            trainable: true,
            dtype: 'float32',
            layer: { class_name: 'Dense', config: keras2DenseConfig('dense', 2) },
          },
          name: 'time_distributed',
          inbound_nodes: [[['bidirectional', 0, 0, {}]]],
        },
      ],
      input_layers: [['input_1', 0, 0]],
      output_layers: [['time_distributed', 0, 0]],
    },
    keras_version: '2.4.0',
    backend: 'tensorflow',
  };
}
