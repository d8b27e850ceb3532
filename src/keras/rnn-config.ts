/**
 * The Keras wire format of the generic `RNN` layer (`keras.layers.RNN(cell, ...)`): Keras 3's
 * `RNN.get_config()` — the base config, then `return_sequences, return_state, go_backwards, stateful, unroll,
 * zero_output_for_mask` and `cell`, the cell serialized with its `build_config` (`[batch, features]`) — and the
 * reverse, which deserializes the cell (GRUCell).
 */
import { InvalidArgumentError } from '../errors.js';
import { GRUCell } from '../layers/gru-cell.js';
import type { LayerArgs, Shape } from '../layers/layer.js';
import { assertRNNCell, type RNNCell } from '../layers/rnn-cell.js';
import type { RNN, RNNOptions } from '../layers/rnn.js';
import { deserializeLayerWith, serializeLayer, type LayerClassTable } from './layer-serialization.js';

/**
 * The cell classes an RNN config can name. Only cells here: rnn.ts imports this module, so importing the layer
 * classes (GRU extends RNN) would make a cycle that evaluates GRU before RNN.
 */
const CELL_CLASSES: LayerClassTable = { GRUCell: (c) => GRUCell.fromConfig(c) };

/** What `new RNN(...)` takes: the cell, the RNN's own options, the base layer options. */
export type RNNLayerArgs = RNNOptions & LayerArgs & { cell: RNNCell };

/** `RNN.getConfig()` for a plain RNN around a cell. */
export function rnnToKerasConfig(layer: RNN, base: Record<string, unknown>): Record<string, unknown> {
  const shape = layer.buildInputShape as Shape | null;
  // Keras builds the cell with the shape of one step, [batch, features].
  const cellShape: Shape | null = Array.isArray(shape) && shape.length === 3 ? [shape[0]!, shape[2]!] : null;
  return {
    ...base,
    return_sequences: layer.returnSequences,
    return_state: layer.returnState,
    go_backwards: layer.goBackwards,
    stateful: layer.stateful,
    unroll: layer.unroll,
    zero_output_for_mask: layer.zeroOutputForMask,
    cell: serializeLayer(layer.cell as unknown as RNNCell, cellShape),
  };
}

const RNN_KEYS: Record<string, keyof RNNLayerArgs> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
  return_sequences: 'returnSequences',
  return_state: 'returnState',
  go_backwards: 'goBackwards',
  stateful: 'stateful',
  unroll: 'unroll',
  zero_output_for_mask: 'zeroOutputForMask',
};

/** Keys of Keras 2 / tf.keras configs that carry no meaning here. */
const IGNORED_KEYS = new Set(['batch_input_shape', 'input_shape', 'batch_size', 'input_dim', 'input_length']);

/** RNN constructor arguments from a Keras RNN config; the cell is deserialized (and built from its build_config). */
export function rnnArgsFromKerasConfig(config: unknown, context = 'RNN.fromConfig'): RNNLayerArgs {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({ argument: 'config', expected: 'a Keras RNN config object', received: config, context });
  }
  const outer = config as Record<string, unknown>;
  const inner =
    typeof outer.class_name === 'string' && typeof outer.config === 'object' && outer.config !== null
      ? (outer.config as Record<string, unknown>)
      : outer;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    if (IGNORED_KEYS.has(key)) continue;
    if (key === 'time_major') {
      if (value) {
        throw new InvalidArgumentError({ argument: 'config.time_major', expected: 'false (inputs are [batch, time, features])', received: value, context });
      }
      continue;
    }
    if (key === 'cell') {
      if (Array.isArray(value)) {
        throw new InvalidArgumentError({ argument: 'config.cell', expected: 'one serialized cell (stacked cells are not supported)', received: value, context });
      }
      args.cell = assertRNNCell(deserializeLayerWith(value, CELL_CLASSES, 'config.cell', context), 'config.cell', context);
      continue;
    }
    const target = RNN_KEYS[key];
    if (target === undefined) {
      throw new InvalidArgumentError({ argument: `config.${key}`, expected: 'a key of a Keras RNN config', received: key, context });
    }
    args[target] = value;
  }
  if (args.cell === undefined) {
    throw new InvalidArgumentError({ argument: 'config.cell', expected: 'the serialized cell', received: undefined, context });
  }
  return args as unknown as RNNLayerArgs;
}
