/**
 * Reading a Keras layer config into constructor arguments: the one loop every layer's wire-format module
 * uses. It accepts the config itself or the whole serialized layer (`{ class_name, config }`), maps
 * snake_case keys to camelCase arguments, skips the model-level keys of Keras 2 / tf.keras configs (input
 * shapes), accepts Keras 3's LoRA/quantization keys only when null, and names any other key in a typed error.
 */
import { InvalidArgumentError } from '../errors.js';

/** Keys of Keras 2 / tf.keras layer configs that belong to the model (input shapes), not to the layer. */
const MODEL_LEVEL_KEYS = ['batch_input_shape', 'input_shape', 'batch_size'];

export interface LayerConfigSpec {
  /** Keras's class name, for messages. */
  className: string;
  /** snake_case config key → constructor argument. */
  keys: Readonly<Record<string, string>>;
  /** Further keys to skip (deprecated or meaningless here), besides the model-level ones. */
  ignored?: readonly string[];
  /** Keys accepted only when null, with what a non-null value would need (e.g. LoRA). */
  nullOnly?: Readonly<Record<string, string>>;
  /**
   * Keys with their own handling: called with the value and the arguments so far; return true when handled.
   * Runs before the key table.
   */
  special?: (key: string, value: unknown, args: Record<string, unknown>) => boolean;
}

/** Keras 3's LoRA and quantization options, which keras-gru does not support for Dense or Embedding. */
export const LORA_AND_QUANTIZATION: Readonly<Record<string, string>> = {
  quantization_config: 'null (quantized layers are not supported)',
  lora_rank: 'null (LoRA layers are not supported)',
  lora_alpha: 'null (LoRA layers are not supported)',
};

/** The inner config of a layer config or of a whole serialized layer `{ class_name, config }`. */
export function innerLayerConfig(config: unknown, className: string, context: string): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({
      argument: 'config',
      expected: `a Keras ${className} config object`,
      received: config,
      context,
    });
  }
  const outer = config as Record<string, unknown>;
  return typeof outer.class_name === 'string' && typeof outer.config === 'object' && outer.config !== null
    ? (outer.config as Record<string, unknown>)
    : outer;
}

/** Constructor arguments (camelCase) from a Keras layer config, checked key by key. */
export function readLayerConfig<A>(config: unknown, spec: LayerConfigSpec, context: string): A {
  const inner = innerLayerConfig(config, spec.className, context);
  const ignored = new Set([...MODEL_LEVEL_KEYS, ...(spec.ignored ?? [])]);
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    if (ignored.has(key)) continue;
    if (spec.special?.(key, value, args)) continue;
    const nullOnly = spec.nullOnly?.[key];
    if (nullOnly !== undefined) {
      if (value !== null && value !== undefined) {
        throw new InvalidArgumentError({ argument: `config.${key}`, expected: nullOnly, received: value, context });
      }
      continue;
    }
    const target = Object.hasOwn(spec.keys, key) ? spec.keys[key] : undefined;
    if (target === undefined) {
      throw new InvalidArgumentError({
        argument: `config.${key}`,
        expected: `a key of a Keras ${spec.className} config`,
        received: key,
        context,
      });
    }
    args[target] = value;
  }
  return args as A;
}

/** Keras 2's `time_major`: only the batch-major layout exists here. */
export function checkTimeMajor(value: unknown, context: string): void {
  if (value) {
    throw new InvalidArgumentError({
      argument: 'config.time_major',
      expected: 'false (inputs are [batch, time, features])',
      received: value,
      context,
    });
  }
}
