/**
 * The Keras wire format of Embedding layers: `getConfig()` JSON exactly as Keras 3.15 emits it (the base
 * config, then `input_dim, output_dim, embeddings_initializer, embeddings_regularizer, activity_regularizer,
 * embeddings_constraint, mask_zero, quantization_config`), and the reverse, which also reads Keras 2 /
 * tf.keras configs. LoRA and quantized configs are refused: they change the layer's weights.
 */
import { LORA_AND_QUANTIZATION, readLayerConfig } from './layer-config-reader.js';
import { serializeConstraint } from '../constraints/index.js';
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

/** Embedding constructor arguments from a Keras Embedding config (or a whole serialized layer `{class_name, config}`). */
export function embeddingArgsFromKerasConfig(config: unknown, context = 'Embedding.fromConfig'): EmbeddingArgs {
  return readLayerConfig<EmbeddingArgs>(
    config,
    {
      className: 'Embedding',
      keys: EMBEDDING_KEYS,
      ignored: ['input_length'],
      nullOnly: LORA_AND_QUANTIZATION,
    },
    context,
  );
}
