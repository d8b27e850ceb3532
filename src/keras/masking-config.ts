/** The Keras wire format of Masking layers: Keras 3's `Masking.get_config()` (base config, then `mask_value`) and the reverse. */
import { readLayerConfig } from './layer-config-reader.js';
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

/** Masking constructor arguments from a Keras Masking config (or a whole serialized layer). */
export function maskingArgsFromKerasConfig(config: unknown, context = 'Masking.fromConfig'): MaskingArgs {
  return readLayerConfig<MaskingArgs>(
    config,
    {
      className: 'Masking',
      keys: MASKING_KEYS,
    },
    context,
  );
}
