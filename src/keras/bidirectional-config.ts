/**
 * The Keras wire format of Bidirectional: Keras 3's `Bidirectional.get_config()` — the base config, then
 * `merge_mode`, `layer` (the forward layer serialized) and `backward_layer` — and the reverse, which
 * deserializes (and builds) both layers.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Bidirectional, BidirectionalArgs, MergeMode } from '../layers/bidirectional.js';
import { deserializeLayer } from './layer-classes.js';
import { serializeLayer } from './layer-serialization.js';

export function bidirectionalToKerasConfig(layer: Bidirectional, base: Record<string, unknown>): Record<string, unknown> {
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

const IGNORED_KEYS = new Set(['batch_input_shape', 'input_shape', 'batch_size']);

/** Bidirectional constructor arguments from a Keras config; `layer` and `backward_layer` are deserialized. */
export function bidirectionalArgsFromKerasConfig(config: unknown, context = 'Bidirectional.fromConfig'): BidirectionalArgs {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({ argument: 'config', expected: 'a Keras Bidirectional config object', received: config, context });
  }
  const outer = config as Record<string, unknown>;
  const inner =
    typeof outer.class_name === 'string' && typeof outer.config === 'object' && outer.config !== null
      ? (outer.config as Record<string, unknown>)
      : outer;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    if (IGNORED_KEYS.has(key)) continue;
    if (key === 'merge_mode') args.mergeMode = value as MergeMode;
    else if (key === 'layer') args.layer = deserializeLayer(value, 'config.layer', context);
    else if (key === 'backward_layer') {
      if (value !== null && value !== undefined) args.backwardLayer = deserializeLayer(value, 'config.backward_layer', context);
    } else {
      const target = BASE_KEYS[key];
      if (target === undefined) {
        throw new InvalidArgumentError({ argument: `config.${key}`, expected: 'a key of a Keras Bidirectional config', received: key, context });
      }
      args[target] = value;
    }
  }
  if (args.layer === undefined) {
    throw new InvalidArgumentError({ argument: 'config.layer', expected: 'the serialized forward layer', received: undefined, context });
  }
  return args as unknown as BidirectionalArgs;
}
