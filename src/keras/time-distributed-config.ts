/**
 * The Keras wire format of TimeDistributed: Keras 3's `Wrapper.get_config()` — the base config, then `layer`,
 * the wrapped layer serialized (with its `build_config` once built) — and the reverse.
 */
import { readLayerConfig } from './layer-config-reader.js';
import { InvalidArgumentError } from '../errors.js';
import type { TimeDistributed, TimeDistributedArgs } from '../layers/time-distributed.js';
import { deserializeLayer } from './layer-classes.js';
import { serializeLayer } from './layer-serialization.js';

export function timeDistributedToKerasConfig(
  layer: TimeDistributed,
  base: Record<string, unknown>,
): Record<string, unknown> {
  return { ...base, layer: serializeLayer(layer.layer) };
}

const BASE_KEYS: Record<string, keyof TimeDistributedArgs> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
};

/** TimeDistributed constructor arguments from a Keras config; the wrapped layer is deserialized (and built). */
export function timeDistributedArgsFromKerasConfig(
  config: unknown,
  context = 'TimeDistributed.fromConfig',
): TimeDistributedArgs {
  const args = readLayerConfig<Record<string, unknown>>(
    config,
    {
      className: 'TimeDistributed',
      keys: BASE_KEYS,
      special: (key, value, out) =>
        key === 'layer' && ((out.layer = deserializeLayer(value, 'config.layer', context)), true),
    },
    context,
  );
  if (args.layer === undefined) {
    throw new InvalidArgumentError({
      argument: 'config.layer',
      expected: 'the serialized wrapped layer',
      received: undefined,
      context,
    });
  }
  return args as unknown as TimeDistributedArgs;
}
