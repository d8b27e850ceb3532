/** The Keras wire format of Dropout layers: Keras 3's `Dropout.get_config()` and the reverse. */
import { readLayerConfig } from './layer-config-reader.js';
import type { Dropout, DropoutArgs } from '../layers/dropout.js';

/** `Dropout.getConfig()`: the base layer config, then `rate`, `seed`, `noise_shape`. */
export function dropoutToKerasConfig(layer: Dropout, base: Record<string, unknown>): Record<string, unknown> {
  return {
    ...base,
    rate: layer.rate,
    seed: layer.seed,
    noise_shape: layer.noiseShape === null ? null : [...layer.noiseShape],
  };
}

const DROPOUT_KEYS: Record<string, keyof DropoutArgs> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
  rate: 'rate',
  seed: 'seed',
  noise_shape: 'noiseShape',
};

/** Dropout constructor arguments from a Keras Dropout config (or a whole serialized layer). */
export function dropoutArgsFromKerasConfig(config: unknown, context = 'Dropout.fromConfig'): DropoutArgs {
  return readLayerConfig<DropoutArgs>(
    config,
    {
      className: 'Dropout',
      keys: DROPOUT_KEYS,
    },
    context,
  );
}
