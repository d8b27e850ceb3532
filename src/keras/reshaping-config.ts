/**
 * The Keras wire format of `Activation`, `RepeatVector`, `Flatten`, `Reshape` and `Permute`: each writes the
 * base layer config, then its own keys as Keras 3's `get_config()` does (`activation`, `n`, `data_format`,
 * `target_shape`, `dims`; tuples as lists).
 */
import { serializeActivation } from '../activations/index.js';
import type { Activation, ActivationArgs } from '../layers/activation.js';
import type {
  Flatten,
  FlattenArgs,
  Permute,
  PermuteArgs,
  RepeatVector,
  RepeatVectorArgs,
  Reshape,
  ReshapeArgs,
} from '../layers/reshaping.js';
import { readLayerConfig } from './layer-config-reader.js';

const BASE_KEYS: Record<string, string> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
};

const reader =
  <A>(className: string, keys: Record<string, string>) =>
  (config: unknown, context = `${className}.fromConfig`): A =>
    readLayerConfig<A>(config, { className, keys: { ...BASE_KEYS, ...keys } }, context);

export const activationToKerasConfig = (layer: Activation, base: Record<string, unknown>): Record<string, unknown> => ({
  ...base,
  activation: serializeActivation(layer.activation),
});
export const activationArgsFromKerasConfig = reader<ActivationArgs>('Activation', { activation: 'activation' });

export const repeatVectorToKerasConfig = (
  layer: RepeatVector,
  base: Record<string, unknown>,
): Record<string, unknown> => ({ ...base, n: layer.n });
export const repeatVectorArgsFromKerasConfig = reader<RepeatVectorArgs>('RepeatVector', { n: 'n' });

export const flattenToKerasConfig = (layer: Flatten, base: Record<string, unknown>): Record<string, unknown> => ({
  ...base,
  data_format: layer.dataFormat,
});
export const flattenArgsFromKerasConfig = reader<FlattenArgs>('Flatten', { data_format: 'dataFormat' });

export const reshapeToKerasConfig = (layer: Reshape, base: Record<string, unknown>): Record<string, unknown> => ({
  ...base,
  target_shape: [...layer.targetShape],
});
export const reshapeArgsFromKerasConfig = reader<ReshapeArgs>('Reshape', { target_shape: 'targetShape' });

export const permuteToKerasConfig = (layer: Permute, base: Record<string, unknown>): Record<string, unknown> => ({
  ...base,
  dims: [...layer.dims],
});
export const permuteArgsFromKerasConfig = reader<PermuteArgs>('Permute', { dims: 'dims' });
