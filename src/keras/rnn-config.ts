/**
 * The Keras wire format of the generic `RNN` layer (`keras.layers.RNN(cell, ...)`): Keras 3's
 * `RNN.get_config()` — the base config, then `return_sequences, return_state, go_backwards, stateful, unroll,
 * zero_output_for_mask` and `cell`, the cell serialized with its `build_config` (`[batch, features]`) — and the
 * reverse, which deserializes the cell (GRUCell).
 */
import { checkTimeMajor, readLayerConfig } from './layer-config-reader.js';
import { InvalidArgumentError } from '../errors.js';
import { GRUCell } from '../layers/gru-cell.js';
import type { LayerArgs, Shape } from '../layers/layer.js';
import { assertRNNCell, type RNNCell } from '../layers/rnn-cell.js';
import type { RNN, RNNOptions } from '../layers/rnn.js';
import { deserializeLayerWith, serializeLayer, type LayerClassTable } from './layer-serialization.js';

/**
 * The cell classes an RNN config can name: the built-in cells only (a layer that is not a cell cannot be one,
 * and custom cells are not read here).
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

/** RNN constructor arguments from a Keras RNN config; the cell is deserialized (and built from its build_config). */
export function rnnArgsFromKerasConfig(config: unknown, context = 'RNN.fromConfig'): RNNLayerArgs {
  const args = readLayerConfig<Record<string, unknown>>(
    config,
    {
      className: 'RNN',
      keys: RNN_KEYS,
      ignored: ['input_dim', 'input_length'],
      special: (key, value, out) => {
        if (key === 'time_major') checkTimeMajor(value, context);
        else if (key === 'cell') {
          if (Array.isArray(value)) {
            throw new InvalidArgumentError({
              argument: 'config.cell',
              expected: 'one serialized cell (stacked cells are not supported)',
              received: value,
              context,
            });
          }
          out.cell = assertRNNCell(
            deserializeLayerWith(value, CELL_CLASSES, 'config.cell', context),
            'config.cell',
            context,
          );
        } else return false;
        return true;
      },
    },
    context,
  );
  if (args.cell === undefined) {
    throw new InvalidArgumentError({
      argument: 'config.cell',
      expected: 'the serialized cell',
      received: undefined,
      context,
    });
  }
  return args as unknown as RNNLayerArgs;
}
