/**
 * The Keras wire format of `Conv1D` and the 1-D pooling layers: the base layer config, then Keras 3's own
 * keys in its order (tuples as one-element lists: `kernel_size: [3]`). Conv1D's LoRA/DoRA keys are accepted
 * only when null (they change the weights).
 */
import { serializeActivation } from '../activations/index.js';
import { serializeConstraint } from '../constraints/index.js';
import { serializeInitializer } from '../initializers/index.js';
import type { Conv1D, Conv1DArgs } from '../layers/convolution.js';
import type {
  AveragePooling1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  GlobalPooling1DArgs,
  MaxPooling1D,
  Pooling1DArgs,
} from '../layers/pooling.js';
import { serializeRegularizer } from '../regularizers/index.js';
import { LORA_AND_QUANTIZATION, readLayerConfig } from './layer-config-reader.js';

const BASE_KEYS: Record<string, string> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
};

export function conv1DToKerasConfig(layer: Conv1D, base: Record<string, unknown>): Record<string, unknown> {
  return {
    ...base,
    filters: layer.filters,
    kernel_size: [layer.kernelSize],
    strides: [layer.strides],
    padding: layer.padding,
    data_format: layer.dataFormat,
    dilation_rate: [layer.dilationRate],
    groups: layer.groups,
    activation: serializeActivation(layer.activation),
    use_bias: layer.useBias,
    kernel_initializer: serializeInitializer(layer.kernelInitializer),
    bias_initializer: serializeInitializer(layer.biasInitializer),
    kernel_regularizer: serializeRegularizer(layer.kernelRegularizer),
    bias_regularizer: serializeRegularizer(layer.biasRegularizer),
    // Written by Conv's get_config itself, so present even when null (where the base config has none).
    activity_regularizer: serializeRegularizer(layer.activityRegularizer),
    kernel_constraint: serializeConstraint(layer.kernelConstraint),
    bias_constraint: serializeConstraint(layer.biasConstraint),
  };
}

export function conv1DArgsFromKerasConfig(config: unknown, context = 'Conv1D.fromConfig'): Conv1DArgs {
  return readLayerConfig<Conv1DArgs>(
    config,
    {
      className: 'Conv1D',
      keys: {
        ...BASE_KEYS,
        filters: 'filters',
        kernel_size: 'kernelSize',
        strides: 'strides',
        padding: 'padding',
        data_format: 'dataFormat',
        dilation_rate: 'dilationRate',
        groups: 'groups',
        activation: 'activation',
        use_bias: 'useBias',
        kernel_initializer: 'kernelInitializer',
        bias_initializer: 'biasInitializer',
        kernel_regularizer: 'kernelRegularizer',
        bias_regularizer: 'biasRegularizer',
        kernel_constraint: 'kernelConstraint',
        bias_constraint: 'biasConstraint',
      },
      nullOnly: {
        ...LORA_AND_QUANTIZATION,
        dora_rank: 'null (DoRA layers are not supported)',
        dora_alpha: 'null (DoRA layers are not supported)',
      },
    },
    context,
  );
}

export function pooling1DToKerasConfig(
  layer: MaxPooling1D | AveragePooling1D,
  base: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...base,
    pool_size: [layer.poolSize],
    padding: layer.padding,
    strides: [layer.strides],
    data_format: layer.dataFormat,
  };
}

export const pooling1DArgsFromKerasConfig =
  (className: string) =>
  (config: unknown, context = `${className}.fromConfig`): Pooling1DArgs =>
    readLayerConfig<Pooling1DArgs>(
      config,
      {
        className,
        keys: {
          ...BASE_KEYS,
          pool_size: 'poolSize',
          padding: 'padding',
          strides: 'strides',
          data_format: 'dataFormat',
        },
      },
      context,
    );

export function globalPooling1DToKerasConfig(
  layer: GlobalAveragePooling1D | GlobalMaxPooling1D,
  base: Record<string, unknown>,
): Record<string, unknown> {
  return { ...base, data_format: layer.dataFormat, keepdims: layer.keepdims };
}

export const globalPooling1DArgsFromKerasConfig =
  (className: string) =>
  (config: unknown, context = `${className}.fromConfig`): GlobalPooling1DArgs =>
    readLayerConfig<GlobalPooling1DArgs>(
      config,
      { className, keys: { ...BASE_KEYS, data_format: 'dataFormat', keepdims: 'keepdims' } },
      context,
    );
