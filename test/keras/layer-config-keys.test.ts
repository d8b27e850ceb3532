/**
 * Done when: every layer class added around the GRU (issue 14) writes, with its defaults, the config Keras
 * 3.15.1's `get_config()` writes — the same keys in the same order and the same default values — so that a
 * drift on either side fails here. The expected configs are read off Keras's Python sources (v3.15.1 tag of
 * keras-team/keras, keras/src/layers/…): `Operation.get_config` gives `name`, `Layer.get_config` adds
 * `trainable` and the dtype policy (and `activity_regularizer` only when set), then each class its own keys.
 * The dtype policy's form is checked against what real Keras wrote in the keras-golden fixtures.
 */
import { describe, expect, it } from 'vitest';
import { AdditiveAttention, Attention } from '../../src/layers/attention.js';
import { Activation as ActivationLayer } from '../../src/layers/activation.js';
import { Concatenate } from '../../src/layers/concatenate.js';
import { Conv1D } from '../../src/layers/convolution.js';
import { Dot } from '../../src/layers/dot.js';
import { input } from '../../src/layers/input-layer.js';
import type { Layer } from '../../src/layers/layer.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from '../../src/layers/merge.js';
import { GaussianDropout, GaussianNoise, SpatialDropout1D } from '../../src/layers/noise.js';
import { BatchNormalization, LayerNormalization } from '../../src/layers/normalization.js';
import {
  AveragePooling1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  MaxPooling1D,
} from '../../src/layers/pooling.js';
import { Flatten, Permute, RepeatVector, Reshape } from '../../src/layers/reshaping.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { fixtureLayerConfig } from '../helpers/layer-configs.js';

/** `dtype_policies.serialize(DTypePolicy("float32"))`. */
const FLOAT32_POLICY = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};

const initializer = (className: string, config: Record<string, unknown> = {}) => ({
  module: 'keras.initializers',
  class_name: className,
  config,
  registered_name: null,
});

/** Operation.get_config + Layer.get_config. */
const base = (name: string) => ({ name, trainable: true, dtype: FLOAT32_POLICY });

const seq = (): SymbolicTensor => input({ shape: [6, 4] });
const vec = (): SymbolicTensor => input({ shape: [4] });

/** [Keras class, the layer with its defaults (required arguments only), its call, Keras's config]. */
const CASES: [string, () => Layer, (layer: Layer) => unknown, Record<string, unknown>][] = [
  [
    'LayerNormalization', // normalization/layer_normalization.py; build makes the axis a (sorted) list
    () => new LayerNormalization({ name: 'ln' }),
    (l) => l.apply(seq()),
    {
      ...base('ln'),
      axis: [-1],
      epsilon: 0.001,
      center: true,
      scale: true,
      rms_scaling: false,
      beta_initializer: initializer('Zeros'),
      gamma_initializer: initializer('Ones'),
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    },
  ],
  [
    'BatchNormalization', // normalization/batch_normalization.py (renorm keys since 3.14)
    () => new BatchNormalization({ name: 'bn' }),
    (l) => l.apply(seq()),
    {
      ...base('bn'),
      axis: -1,
      momentum: 0.99,
      epsilon: 0.001,
      center: true,
      scale: true,
      beta_initializer: initializer('Zeros'),
      gamma_initializer: initializer('Ones'),
      moving_mean_initializer: initializer('Zeros'),
      moving_variance_initializer: initializer('Ones'),
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
      synchronized: false,
      renorm: false,
      renorm_clipping: null,
      renorm_momentum: 0.99,
    },
  ],
  [
    'GaussianNoise', // regularization/gaussian_noise.py
    () => new GaussianNoise({ name: 'gn', stddev: 0.5 }),
    (l) => l.apply(seq()),
    { ...base('gn'), stddev: 0.5, seed: null },
  ],
  [
    'GaussianDropout', // regularization/gaussian_dropout.py
    () => new GaussianDropout({ name: 'gd', rate: 0.25 }),
    (l) => l.apply(seq()),
    { ...base('gd'), rate: 0.25, seed: null },
  ],
  [
    // regularization/spatial_dropout.py: BaseSpatialDropout.get_config skips Layer's and writes `self.dtype`,
    // the variable dtype's name, not the policy.
    'SpatialDropout1D',
    () => new SpatialDropout1D({ name: 'sd', rate: 0.25 }),
    (l) => l.apply(seq()),
    { rate: 0.25, seed: null, name: 'sd', dtype: 'float32' },
  ],
  [
    'Conv1D', // convolutional/base_conv.py (tuples standardized: kernel_size (3,) etc.)
    () => new Conv1D({ name: 'conv', filters: 2, kernelSize: 3 }),
    (l) => l.apply(seq()),
    {
      ...base('conv'),
      filters: 2,
      kernel_size: [3],
      strides: [1],
      padding: 'valid',
      data_format: 'channels_last',
      dilation_rate: [1],
      groups: 1,
      activation: 'linear',
      use_bias: true,
      kernel_initializer: initializer('GlorotUniform', { seed: null, input_axes: null, output_axes: null }),
      bias_initializer: initializer('Zeros'),
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  ],
  [
    'MaxPooling1D', // pooling/base_pooling.py; strides default to pool_size
    () => new MaxPooling1D({ name: 'mp' }),
    (l) => l.apply(seq()),
    { ...base('mp'), pool_size: [2], padding: 'valid', strides: [2], data_format: 'channels_last' },
  ],
  [
    'AveragePooling1D',
    () => new AveragePooling1D({ name: 'ap' }),
    (l) => l.apply(seq()),
    { ...base('ap'), pool_size: [2], padding: 'valid', strides: [2], data_format: 'channels_last' },
  ],
  [
    'GlobalAveragePooling1D', // pooling/base_global_pooling.py
    () => new GlobalAveragePooling1D({ name: 'gap' }),
    (l) => l.apply(seq()),
    { ...base('gap'), data_format: 'channels_last', keepdims: false },
  ],
  [
    'GlobalMaxPooling1D',
    () => new GlobalMaxPooling1D({ name: 'gmp' }),
    (l) => l.apply(seq()),
    { ...base('gmp'), data_format: 'channels_last', keepdims: false },
  ],
  [
    'Attention', // attention/attention.py (seed since 3.15.0)
    () => new Attention({ name: 'att' }),
    (l) => l.apply([seq(), seq()]),
    { ...base('att'), use_scale: false, score_mode: 'dot', dropout: 0, seed: null },
  ],
  [
    'AdditiveAttention', // attention/additive_attention.py: Attention's config without score_mode
    () => new AdditiveAttention({ name: 'add_att' }),
    (l) => l.apply([seq(), seq()]),
    { ...base('add_att'), use_scale: true, dropout: 0, seed: null },
  ],
  ...(
    [
      ['Add', () => new Add({ name: 'm' })],
      ['Subtract', () => new Subtract({ name: 'm' })],
      ['Multiply', () => new Multiply({ name: 'm' })],
      ['Average', () => new Average({ name: 'm' })],
      ['Maximum', () => new Maximum({ name: 'm' })],
      ['Minimum', () => new Minimum({ name: 'm' })],
    ] as const
  ).map(
    ([className, make]) =>
      // merging/base_merge.py: the base config only.
      [className, make, (l: Layer) => l.apply([vec(), vec()]), base('m')] as (typeof CASES)[number],
  ),
  [
    'Concatenate', // merging/concatenate.py
    () => new Concatenate({ name: 'cat' }),
    (l) => l.apply([vec(), vec()]),
    { ...base('cat'), axis: -1 },
  ],
  [
    'Dot', // merging/dot.py
    () => new Dot({ name: 'dot', axes: 1 }),
    (l) => l.apply([vec(), vec()]),
    { ...base('dot'), axes: 1, normalize: false },
  ],
  [
    'RepeatVector', // reshaping/repeat_vector.py
    () => new RepeatVector({ name: 'rv', n: 3 }),
    (l) => l.apply(vec()),
    { ...base('rv'), n: 3 },
  ],
  [
    'Flatten', // reshaping/flatten.py
    () => new Flatten({ name: 'flat' }),
    (l) => l.apply(seq()),
    { ...base('flat'), data_format: 'channels_last' },
  ],
  [
    'Reshape', // reshaping/reshape.py
    () => new Reshape({ name: 'rs', targetShape: [4, 6] }),
    (l) => l.apply(seq()),
    { ...base('rs'), target_shape: [4, 6] },
  ],
  [
    'Permute', // reshaping/permute.py
    () => new Permute({ name: 'perm', dims: [2, 1] }),
    (l) => l.apply(seq()),
    { ...base('perm'), dims: [2, 1] },
  ],
  [
    'Activation', // activations/activation.py
    () => new ActivationLayer({ name: 'act', activation: 'tanh' }),
    (l) => l.apply(seq()),
    { ...base('act'), activation: 'tanh' },
  ],
];

describe("Keras 3.15.1's get_config, key for key", () => {
  it('the dtype policy is written as real Keras wrote it (keras-golden fixtures)', () => {
    expect(fixtureLayerConfig('model-tagger', 'Masking').dtype).toEqual(FLOAT32_POLICY);
  });

  it.each(CASES)('%s', (className, make, call, expected) => {
    const layer = make();
    expect(layer.className).toBe(className);
    call(layer);
    const config = layer.getConfig();
    expect(Object.keys(config)).toEqual(Object.keys(expected));
    expect(config).toEqual(expected);
  });

  it('an activity regularizer is a base key, written after dtype (Conv1D: in that place, not its own)', () => {
    const conv = new Conv1D({ name: 'conv', filters: 2, kernelSize: 3, activityRegularizer: 'l2' });
    const keys = Object.keys(conv.getConfig());
    expect(keys.slice(0, 4)).toEqual(['name', 'trainable', 'dtype', 'activity_regularizer']);
    expect(keys.filter((k) => k === 'activity_regularizer')).toHaveLength(1);
    const ln = new LayerNormalization({ name: 'ln', activityRegularizer: 'l2' });
    expect(Object.keys(ln.getConfig()).slice(0, 4)).toEqual(['name', 'trainable', 'dtype', 'activity_regularizer']);
  });
});
