/** The Keras wire format of Masking layers: Keras 3's `Masking.get_config()` (base config, then `mask_value`) and the reverse. */
import { InvalidArgumentError } from '../errors.js';
import type { Masking, MaskingArgs } from '../layers/masking.js';

export function maskingToKerasConfig(layer: Masking, base: Record<string, unknown>): Record<string, unknown> {
  return { ...base, mask_value: layer.maskValue };
}

const MASKING_KEYS: Record<string, keyof MaskingArgs> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
  mask_value: 'maskValue',
};

const IGNORED_KEYS = new Set(['batch_input_shape', 'input_shape', 'batch_size']);

/** Masking constructor arguments from a Keras Masking config (or a whole serialized layer). */
export function maskingArgsFromKerasConfig(config: unknown, context = 'Masking.fromConfig'): MaskingArgs {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({ argument: 'config', expected: 'a Keras Masking config object', received: config, context });
  }
  const outer = config as Record<string, unknown>;
  const inner =
    typeof outer.class_name === 'string' && typeof outer.config === 'object' && outer.config !== null
      ? (outer.config as Record<string, unknown>)
      : outer;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    if (IGNORED_KEYS.has(key)) continue;
    const target = MASKING_KEYS[key];
    if (target === undefined) {
      throw new InvalidArgumentError({ argument: `config.${key}`, expected: 'a key of a Keras Masking config', received: key, context });
    }
    args[target] = value;
  }
  return args as MaskingArgs;
}
