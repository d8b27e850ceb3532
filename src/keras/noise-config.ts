/**
 * The Keras wire format of `GaussianNoise`, `GaussianDropout` (the base layer config, then `stddev` or `rate`,
 * then `seed`) and `SpatialDropout1D`, whose Keras 3 `get_config()` is only `rate`, `seed`, `name` and `dtype`
 * (the dtype policy's variable dtype, a plain string).
 */
import type {
  GaussianDropout,
  GaussianDropoutArgs,
  GaussianNoise,
  GaussianNoiseArgs,
  SpatialDropout1D,
  SpatialDropout1DArgs,
} from '../layers/noise.js';
import { readLayerConfig } from './layer-config-reader.js';

const BASE_KEYS: Record<string, string> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
};

export const gaussianNoiseToKerasConfig = (
  layer: GaussianNoise,
  base: Record<string, unknown>,
): Record<string, unknown> => ({ ...base, stddev: layer.stddev, seed: layer.seed });

export const gaussianNoiseArgsFromKerasConfig = (
  config: unknown,
  context = 'GaussianNoise.fromConfig',
): GaussianNoiseArgs =>
  readLayerConfig<GaussianNoiseArgs>(
    config,
    { className: 'GaussianNoise', keys: { ...BASE_KEYS, stddev: 'stddev', seed: 'seed' } },
    context,
  );

export const gaussianDropoutToKerasConfig = (
  layer: GaussianDropout,
  base: Record<string, unknown>,
): Record<string, unknown> => ({ ...base, rate: layer.rate, seed: layer.seed });

export const gaussianDropoutArgsFromKerasConfig = (
  config: unknown,
  context = 'GaussianDropout.fromConfig',
): GaussianDropoutArgs =>
  readLayerConfig<GaussianDropoutArgs>(
    config,
    { className: 'GaussianDropout', keys: { ...BASE_KEYS, rate: 'rate', seed: 'seed' } },
    context,
  );

export const spatialDropout1DToKerasConfig = (layer: SpatialDropout1D): Record<string, unknown> => ({
  rate: layer.rate,
  seed: layer.seed,
  name: layer.name,
  dtype: layer.dtype,
});

export const spatialDropout1DArgsFromKerasConfig = (
  config: unknown,
  context = 'SpatialDropout1D.fromConfig',
): SpatialDropout1DArgs =>
  readLayerConfig<SpatialDropout1DArgs>(
    config,
    // tf.keras wrote the base config too (trainable, and noise_shape, which the layer sets itself).
    { className: 'SpatialDropout1D', keys: { ...BASE_KEYS, rate: 'rate', seed: 'seed' }, ignored: ['noise_shape'] },
    context,
  );
