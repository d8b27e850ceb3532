/**
 * `RNNCell`: what the `RNN` layer needs from a cell to drive it over the time axis (Keras's cell contract:
 * `state_size`, `output_size`, `build`, `call(inputs_t, states_t)`). A cell is a `Layer` — its weights are the
 * RNN's weights, its config is the RNN's `cell` entry — with one step of math:
 *
 *     [output_t [B,O], states_{t+1}] = step(inputs_t [B,I], states_t (one [B,Sₖ] per state), masks)
 *
 * `masks` are the call's dropout masks, drawn once per call by `dropoutMasks(batch, training)` and passed to
 * every step (Keras's DropoutRNNCell); a cell without dropout returns null and ignores them. `GRUCell` is one.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Layer, Shape } from './layer.js';

export interface RNNCell<Masks = unknown> extends Layer {
  /** The size of each state: a number for one state `[B,S]`, a list for several (e.g. LSTM's `[h, c]`). */
  readonly stateSize: number | readonly number[];
  /** The size of the output of one step, `[B,O]`. */
  readonly outputSize: number;
  /** The input dimension `I` the cell was built for (throws `NotBuiltError` before `build`). */
  readonly inputDim: number;
  /** Creates the weights for one step's input `[batch, features]`. */
  build(inputShape: Shape): void;
  /** The call's dropout masks, drawn once and reused at every step. */
  dropoutMasks(batch: number, training: boolean): Masks;
  /**
   * Optional: per-call views of the weights a step uses (bias rows, gate blocks), made once per call and passed
   * to every `step` of that call, so no step re-slices them.
   */
  stepWeights?(): unknown;
  /** One step: inputs `[B,I]`, one tensor per state → `[output [B,O], new states]`. */
  step(inputs: Tensor, states: readonly Tensor[], masks: Masks, weights?: unknown): [Tensor, Tensor[]];
  /** Keras's config of the cell (snake_case, as `get_config()`). */
  getConfig(): Record<string, unknown>;
}

/** The sizes of the cell's states as a list (Keras's `RNN.state_size`). */
export function stateSizes(cell: Pick<RNNCell, 'stateSize'>): number[] {
  return typeof cell.stateSize === 'number' ? [cell.stateSize] : [...cell.stateSize];
}

const REQUIRED_METHODS = ['build', 'dropoutMasks', 'step', 'getConfig'] as const;

/** Whether `value` has the members of an `RNNCell` (checked before a cell is wrapped in an `RNN`). */
export function isRNNCell(value: unknown): value is RNNCell {
  if (value === null || typeof value !== 'object') return false;
  const cell = value as Record<string, unknown>;
  const size = cell.stateSize;
  const sizeOk =
    (typeof size === 'number' && Number.isInteger(size) && size > 0) ||
    (Array.isArray(size) && size.length > 0 && size.every((s) => Number.isInteger(s) && (s as number) > 0));
  return (
    sizeOk &&
    typeof cell.outputSize === 'number' &&
    Array.isArray((cell as { trackedWeights?: unknown }).trackedWeights) &&
    REQUIRED_METHODS.every((m) => typeof cell[m] === 'function')
  );
}

/** Throws `InvalidArgumentError` naming `argument` unless `value` is an `RNNCell`. */
export function assertRNNCell(value: unknown, argument = 'cell', context?: string): RNNCell {
  if (!isRNNCell(value)) {
    throw new InvalidArgumentError({
      argument,
      expected:
        'an RNN cell (a layer with stateSize, outputSize, build, dropoutMasks, step and getConfig, e.g. a GRUCell)',
      received: value,
      context,
    });
  }
  return value;
}
