/**
 * The Keras wire format of Dense layers: `getConfig()` JSON exactly as Keras 3.15 emits it (snake_case, same
 * keys in the same order, `quantization_config: null` last), and the reverse, which also takes Keras 2 /
 * tf.keras configs. LoRA and quantized configs are refused: they change the layer's weights.
 */
import { serializeActivation } from '../activations/index.js';
import { serializeConstraint } from '../constraints/index.js';
import { InvalidArgumentError } from '../errors.js';
import { serializeInitializer } from '../initializers/index.js';
import { serializeRegularizer } from '../regularizers/index.js';
import type { Dense, DenseArgs } from '../layers/dense.js';

/** `Dense.getConfig()`: Keras 3's `Dense.get_config()` on top of the base layer config. */
export function denseToKerasConfig(layer: Dense, base: Record<string, unknown>): Record<string, unknown> {
  return {
    ...base,
    units: layer.units,
    activation: serializeActivation(layer.activation),
    use_bias: layer.useBias,
    kernel_initializer: serializeInitializer(layer.kernelInitializer),
    bias_initializer: serializeInitializer(layer.biasInitializer),
    kernel_regularizer: serializeRegularizer(layer.kernelRegularizer),
    bias_regularizer: serializeRegularizer(layer.biasRegularizer),
    kernel_constraint: serializeConstraint(layer.kernelConstraint),
    bias_constraint: serializeConstraint(layer.biasConstraint),
    quantization_config: null,
  };
}

/** snake_case key → DenseArgs key. */
const DENSE_KEYS: Record<string, keyof DenseArgs> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  units: 'units',
  activation: 'activation',
  use_bias: 'useBias',
  kernel_initializer: 'kernelInitializer',
  bias_initializer: 'biasInitializer',
  kernel_regularizer: 'kernelRegularizer',
  bias_regularizer: 'biasRegularizer',
  activity_regularizer: 'activityRegularizer',
  kernel_constraint: 'kernelConstraint',
  bias_constraint: 'biasConstraint',
};

/** Keys that carry no meaning here when null (Keras 3's options for LoRA and quantization). */
const NULL_ONLY_KEYS = new Set(['quantization_config', 'lora_rank', 'lora_alpha']);
/** Keys of Keras 2 / tf.keras configs that belong to the model (input shapes), not to the layer. */
const IGNORED_KEYS = new Set(['batch_input_shape', 'input_shape', 'batch_size', 'input_dim']);

/** Dense constructor arguments from a Keras Dense config (or a whole serialized layer `{class_name, config}`). */
export function denseArgsFromKerasConfig(config: unknown, context = 'Dense.fromConfig'): DenseArgs {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({ argument: 'config', expected: 'a Keras Dense config object', received: config, context });
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
          expected: 'null (LoRA and quantized Dense layers are not supported)',
          received: value,
          context,
        });
      }
      continue;
    }
    const target = DENSE_KEYS[key];
    if (target === undefined) {
      throw new InvalidArgumentError({ argument: `config.${key}`, expected: 'a key of a Keras Dense config', received: key, context });
    }
    args[target] = value;
  }
  return args as unknown as DenseArgs;
}
