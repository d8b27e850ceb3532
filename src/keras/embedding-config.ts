/**
 * The Keras wire format of Embedding layers: `getConfig()` JSON exactly as Keras 3.15 emits it (the base
 * config, then `input_dim, output_dim, embeddings_initializer, embeddings_regularizer, activity_regularizer,
 * embeddings_constraint, mask_zero, quantization_config`), and the reverse, which also reads Keras 2 /
 * tf.keras configs. LoRA and quantized configs are refused: they change the layer's weights.
 */
import { serializeConstraint } from '../constraints/index.js';
import { InvalidArgumentError } from '../errors.js';
import { serializeInitializer } from '../initializers/index.js';
import { serializeRegularizer } from '../regularizers/index.js';
import type { Embedding, EmbeddingArgs } from '../layers/embedding.js';

/** `Embedding.getConfig()`: Keras 3's `Embedding.get_config()` on top of the base layer config. */
export function embeddingToKerasConfig(layer: Embedding, base: Record<string, unknown>): Record<string, unknown> {
  return {
    ...base,
    input_dim: layer.inputDim,
    output_dim: layer.outputDim,
    embeddings_initializer: serializeInitializer(layer.embeddingsInitializer),
    embeddings_regularizer: serializeRegularizer(layer.embeddingsRegularizer),
    activity_regularizer: serializeRegularizer(layer.activityRegularizer),
    embeddings_constraint: serializeConstraint(layer.embeddingsConstraint),
    mask_zero: layer.maskZero,
    quantization_config: null,
  };
}

/** snake_case key → EmbeddingArgs key. */
const EMBEDDING_KEYS: Record<string, keyof EmbeddingArgs> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  input_dim: 'inputDim',
  output_dim: 'outputDim',
  embeddings_initializer: 'embeddingsInitializer',
  embeddings_regularizer: 'embeddingsRegularizer',
  activity_regularizer: 'activityRegularizer',
  embeddings_constraint: 'embeddingsConstraint',
  mask_zero: 'maskZero',
};

/** Keys that carry no meaning here when null (Keras 3's options for LoRA and quantization). */
const NULL_ONLY_KEYS = new Set(['quantization_config', 'lora_rank', 'lora_alpha']);
/** Keys of Keras 2 / tf.keras configs that belong to the model (input shapes), or are deprecated (`input_length`). */
const IGNORED_KEYS = new Set(['batch_input_shape', 'input_shape', 'batch_size', 'input_length']);

/** Embedding constructor arguments from a Keras Embedding config (or a whole serialized layer `{class_name, config}`). */
export function embeddingArgsFromKerasConfig(config: unknown, context = 'Embedding.fromConfig'): EmbeddingArgs {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({ argument: 'config', expected: 'a Keras Embedding config object', received: config, context });
  }
  const outer = config as Record<string, unknown>;
  const inner =
    typeof outer.class_name === 'string' && typeof outer.config === 'object' && outer.config !== null
      ? (outer.config as Record<string, unknown>)
      : outer;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    if (IGNORED_KEYS.has(key)) continue;
    if (NULL_ONLY_KEYS.has(key)) {
      if (value !== null && value !== undefined) {
        throw new InvalidArgumentError({
          argument: `config.${key}`,
          expected: 'null (LoRA and quantized Embedding layers are not supported)',
          received: value,
          context,
        });
      }
      continue;
    }
    const target = EMBEDDING_KEYS[key];
    if (target === undefined) {
      throw new InvalidArgumentError({ argument: `config.${key}`, expected: 'a key of a Keras Embedding config', received: key, context });
    }
    args[target] = value;
  }
  return args as unknown as EmbeddingArgs;
}
