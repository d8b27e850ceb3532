/** The Keras wire format of Dropout layers: Keras 3's `Dropout.get_config()` and the reverse. */
import { InvalidArgumentError } from '../errors.js';
import type { Dropout, DropoutArgs } from '../layers/dropout.js';

/** `Dropout.getConfig()`: the base layer config, then `rate`, `seed`, `noise_shape`. */
export function dropoutToKerasConfig(layer: Dropout, base: Record<string, unknown>): Record<string, unknown> {
  return { ...base, rate: layer.rate, seed: layer.seed, noise_shape: layer.noiseShape === null ? null : [...layer.noiseShape] };
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

const IGNORED_KEYS = new Set(['batch_input_shape', 'input_shape', 'batch_size']);

/** Dropout constructor arguments from a Keras Dropout config (or a whole serialized layer). */
export function dropoutArgsFromKerasConfig(config: unknown, context = 'Dropout.fromConfig'): DropoutArgs {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({ argument: 'config', expected: 'a Keras Dropout config object', received: config, context });
  }
  const outer = config as Record<string, unknown>;
  const inner =
    typeof outer.class_name === 'string' && typeof outer.config === 'object' && outer.config !== null
      ? (outer.config as Record<string, unknown>)
      : outer;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    if (IGNORED_KEYS.has(key)) continue;
    const target = DROPOUT_KEYS[key];
    if (target === undefined) {
      throw new InvalidArgumentError({ argument: `config.${key}`, expected: 'a key of a Keras Dropout config', received: key, context });
    }
    args[target] = value;
  }
  return args as unknown as DropoutArgs;
}
