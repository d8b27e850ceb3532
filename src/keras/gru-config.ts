/**
 * The Keras wire format of GRU layers: `getConfig()` JSON exactly as Keras 3 emits it (snake_case, same keys
 * in the same order, same value forms), and the reverse, which also takes Keras 2 / tf.keras configs.
 * Keras's snake_case lives here and in the other src/keras modules only.
 */
import { checkTimeMajor, readLayerConfig } from './layer-config-reader.js';
import { serializeActivation } from '../activations/index.js';
import { serializeConstraint } from '../constraints/index.js';
import { InvalidArgumentError } from '../errors.js';
import { serializeInitializer } from '../initializers/index.js';
import { serializeRegularizer } from '../regularizers/index.js';
import type { GRUCell, GRUCellArgs } from '../layers/gru-cell.js';
import type { GRU, GRUArgs } from '../layers/gru.js';

/** The GRU-specific part of a GRU/GRUCell config, in Keras's key order. */
export function gruCellOptionsToKeras(cell: GRUCell): Record<string, unknown> {
  return {
    units: cell.units,
    activation: serializeActivation(cell.activation),
    recurrent_activation: serializeActivation(cell.recurrentActivation),
    use_bias: cell.useBias,
    kernel_initializer: serializeInitializer(cell.kernelInitializer),
    recurrent_initializer: serializeInitializer(cell.recurrentInitializer),
    bias_initializer: serializeInitializer(cell.biasInitializer),
    kernel_regularizer: serializeRegularizer(cell.kernelRegularizer),
    recurrent_regularizer: serializeRegularizer(cell.recurrentRegularizer),
    bias_regularizer: serializeRegularizer(cell.biasRegularizer),
    kernel_constraint: serializeConstraint(cell.kernelConstraint),
    recurrent_constraint: serializeConstraint(cell.recurrentConstraint),
    bias_constraint: serializeConstraint(cell.biasConstraint),
    dropout: cell.dropout,
    recurrent_dropout: cell.recurrentDropout,
    reset_after: cell.resetAfter,
    seed: cell.seed,
  };
}

/** `GRU.getConfig()`: Keras 3's `GRU.get_config()`. */
export function gruToKerasConfig(layer: GRU, base: Record<string, unknown>): Record<string, unknown> {
  const cellOptions = gruCellOptionsToKeras(layer.cell);
  const {
    seed,
    dropout,
    recurrent_dropout,
    reset_after,
    kernel_constraint,
    recurrent_constraint,
    bias_constraint,
    ...head
  } = cellOptions;
  return {
    ...base,
    return_sequences: layer.returnSequences,
    return_state: layer.returnState,
    go_backwards: layer.goBackwards,
    stateful: layer.stateful,
    unroll: layer.unroll,
    zero_output_for_mask: layer.zeroOutputForMask,
    ...head,
    // Keras lists activity_regularizer between the weight regularizers and the constraints; when it is set,
    // the base config already placed it after dtype, and a repeated key keeps its first position.
    activity_regularizer: serializeRegularizer(layer.activityRegularizer),
    kernel_constraint,
    recurrent_constraint,
    bias_constraint,
    dropout,
    recurrent_dropout,
    reset_after,
    seed,
  };
}

/** snake_case key → GRUArgs key. */
const GRU_KEYS: Record<string, keyof GRUArgs> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  units: 'units',
  activation: 'activation',
  recurrent_activation: 'recurrentActivation',
  use_bias: 'useBias',
  kernel_initializer: 'kernelInitializer',
  recurrent_initializer: 'recurrentInitializer',
  bias_initializer: 'biasInitializer',
  kernel_regularizer: 'kernelRegularizer',
  recurrent_regularizer: 'recurrentRegularizer',
  bias_regularizer: 'biasRegularizer',
  activity_regularizer: 'activityRegularizer',
  kernel_constraint: 'kernelConstraint',
  recurrent_constraint: 'recurrentConstraint',
  bias_constraint: 'biasConstraint',
  dropout: 'dropout',
  recurrent_dropout: 'recurrentDropout',
  reset_after: 'resetAfter',
  seed: 'seed',
  return_sequences: 'returnSequences',
  return_state: 'returnState',
  go_backwards: 'goBackwards',
  stateful: 'stateful',
  unroll: 'unroll',
  zero_output_for_mask: 'zeroOutputForMask',
  implementation: 'implementation',
};

/** Keys of Keras 2 / tf.keras GRU configs that carry no meaning here (input sizes; Keras's cuDNN switch). */
const GRU_IGNORED_KEYS = ['input_dim', 'input_length', 'use_cudnn'];

/** Keras 2's 1 or 2; TF.js writes `null` (it has one implementation), read as the default. */
function checkImplementation(args: Record<string, unknown>, context: string): void {
  const value = args.implementation;
  if (value === null) delete args.implementation;
  else if (value !== undefined && value !== 1 && value !== 2) {
    throw new InvalidArgumentError({
      argument: 'config.implementation',
      expected: '1, 2 or null (TF.js)',
      received: value,
      context,
    });
  }
}

/** GRU constructor arguments from a Keras GRU config (Keras 3, or Keras 2 / tf.keras). */
export function gruArgsFromKerasConfig(config: unknown, context = 'GRU.fromConfig'): GRUArgs {
  const args = readLayerConfig<Record<string, unknown>>(
    config,
    {
      className: 'GRU',
      keys: GRU_KEYS,
      ignored: GRU_IGNORED_KEYS,
      special: (key, value) => key === 'time_major' && (checkTimeMajor(value, context), true),
    },
    context,
  );
  checkImplementation(args, context);
  return args as unknown as GRUArgs;
}

/** The keys of a GRU config that belong to the RNN layer, not to its cell. */
const RNN_ONLY_KEYS = new Set([
  'return_sequences',
  'return_state',
  'go_backwards',
  'stateful',
  'unroll',
  'zero_output_for_mask',
]);

/**
 * GRUCell constructor arguments from a Keras GRUCell config (Keras 3's `GRUCell.get_config()`, or Keras 2's
 * with `implementation`), or a whole serialized cell `{ class_name: 'GRUCell', config }`.
 */
export function gruCellArgsFromKerasConfig(config: unknown, context = 'GRUCell.fromConfig'): GRUCellArgs {
  const cellKeys = Object.fromEntries(Object.entries(GRU_KEYS).filter(([key]) => !RNN_ONLY_KEYS.has(key)));
  const args = readLayerConfig<Record<string, unknown>>(
    config,
    { className: 'GRUCell', keys: cellKeys, ignored: GRU_IGNORED_KEYS },
    context,
  );
  checkImplementation(args, context);
  return args as unknown as GRUCellArgs;
}
