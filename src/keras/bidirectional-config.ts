/**
 * The Keras wire format of Bidirectional: Keras 3's `Bidirectional.get_config()` — the base config, then
 * `merge_mode`, `layer` (the forward layer serialized) and `backward_layer` — and the reverse, which
 * deserializes (and builds) both layers.
 */
import { readLayerConfig } from './layer-config-reader.js';
import { InvalidArgumentError } from '../errors.js';
import type { Bidirectional, BidirectionalArgs, MergeMode } from '../layers/bidirectional.js';
import { deserializeLayer } from './layer-classes.js';
import { serializeLayer } from './layer-serialization.js';

export function bidirectionalToKerasConfig(
  layer: Bidirectional,
  base: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...base,
    merge_mode: layer.mergeMode,
    layer: serializeLayer(layer.forwardLayer),
    backward_layer: serializeLayer(layer.backwardLayer),
  };
}

const BASE_KEYS: Record<string, keyof BidirectionalArgs> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
};

/** Bidirectional constructor arguments from a Keras config; `layer` and `backward_layer` are deserialized. */
export function bidirectionalArgsFromKerasConfig(
  config: unknown,
  context = 'Bidirectional.fromConfig',
): BidirectionalArgs {
  const args = readLayerConfig<Record<string, unknown>>(
    config,
    {
      className: 'Bidirectional',
      keys: BASE_KEYS,
      special: (key, value, out) => {
        if (key === 'merge_mode') out.mergeMode = value as MergeMode;
        else if (key === 'layer') out.layer = deserializeLayer(value, 'config.layer', context);
        else if (key === 'backward_layer') {
          if (value !== null && value !== undefined)
            out.backwardLayer = deserializeLayer(value, 'config.backward_layer', context);
        } else return false;
        return true;
      },
    },
    context,
  );
  if (args.layer === undefined) {
    throw new InvalidArgumentError({
      argument: 'config.layer',
      expected: 'the serialized forward layer',
      received: undefined,
      context,
    });
  }
  return args as unknown as BidirectionalArgs;
}
