/**
 * The Keras wire format of TimeDistributed: Keras 3's `Wrapper.get_config()` — the base config, then `layer`,
 * the wrapped layer serialized (with its `build_config` once built) — and the reverse.
 */
import { InvalidArgumentError } from '../errors.js';
import type { TimeDistributed, TimeDistributedArgs } from '../layers/time-distributed.js';
import { deserializeLayer } from './layer-classes.js';
import { serializeLayer } from './layer-serialization.js';

export function timeDistributedToKerasConfig(layer: TimeDistributed, base: Record<string, unknown>): Record<string, unknown> {
  return { ...base, layer: serializeLayer(layer.layer) };
}

const BASE_KEYS: Record<string, keyof TimeDistributedArgs> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
};

const IGNORED_KEYS = new Set(['batch_input_shape', 'input_shape', 'batch_size']);

/** TimeDistributed constructor arguments from a Keras config; the wrapped layer is deserialized (and built). */
export function timeDistributedArgsFromKerasConfig(config: unknown, context = 'TimeDistributed.fromConfig'): TimeDistributedArgs {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({ argument: 'config', expected: 'a Keras TimeDistributed config object', received: config, context });
  }
  const outer = config as Record<string, unknown>;
  const inner =
    typeof outer.class_name === 'string' && typeof outer.config === 'object' && outer.config !== null
      ? (outer.config as Record<string, unknown>)
      : outer;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    if (IGNORED_KEYS.has(key)) continue;
    if (key === 'layer') {
      args.layer = deserializeLayer(value, 'config.layer', context);
      continue;
    }
    const target = BASE_KEYS[key];
    if (target === undefined) {
      throw new InvalidArgumentError({ argument: `config.${key}`, expected: 'a key of a Keras TimeDistributed config', received: key, context });
    }
    args[target] = value;
  }
  if (args.layer === undefined) {
    throw new InvalidArgumentError({ argument: 'config.layer', expected: 'the serialized wrapped layer', received: undefined, context });
  }
  return args as unknown as TimeDistributedArgs;
}
