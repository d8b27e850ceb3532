/**
 * The Keras wire format of Dense layers: `getConfig()` JSON exactly as Keras 3.15 emits it (snake_case, same
 * keys in the same order, `quantization_config: null` last), and the reverse, which also takes Keras 2 /
 * tf.keras configs. LoRA and quantized configs are refused: they change the layer's weights.
 */
import { LORA_AND_QUANTIZATION, readLayerConfig } from './layer-config-reader.js';
import { serializeActivation } from '../activations/index.js';
import { serializeConstraint } from '../constraints/index.js';
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

/** Dense constructor arguments from a Keras Dense config (or a whole serialized layer `{class_name, config}`). */
export function denseArgsFromKerasConfig(config: unknown, context = 'Dense.fromConfig'): DenseArgs {
  return readLayerConfig<DenseArgs>(
    config,
    {
      className: 'Dense',
      keys: DENSE_KEYS,
      ignored: ['input_dim'],
      nullOnly: LORA_AND_QUANTIZATION,
    },
    context,
  );
}
