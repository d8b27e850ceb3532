/**
 * `RNN`: drives a cell over the time axis with Keras 3's semantics — masks (a masked step carries the state
 * and repeats the previous output, or outputs zeros with `zeroOutputForMask`), `goBackwards` (outputs in
 * reversed time order), `stateful` (the state survives between calls until `resetStates`), `returnSequences`
 * and `returnState`. This is the generic, composed loop; `GRU` adds a fused fast path with the same numbers.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { where } from '../ops/shape-ops.js';
import { cast, reshape, slice, stack } from '../ops/shape-ops.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, tensor as makeTensor, zeros, type TensorLike } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import type { GRUCell } from './gru-cell.js';
import { Layer, type LayerArgs, type LayerWeight, type Shape } from './layer.js';

/** Options of the recurrent layer itself (not of its cell). */
export interface RNNOptions {
  /** Return the output of every step `[B,T,U]` instead of the last `[B,U]`. */
  returnSequences?: boolean;
  /** Also return the final state: the result is then `[output, state]`. */
  returnState?: boolean;
  /** Process the sequence backwards; the sequence output is then in reversed time order. */
  goBackwards?: boolean;
  /** Keep the final state as the next call's initial state, until `resetStates()`. */
  stateful?: boolean;
  /** Keras's unrolling flag; kept for configs (the numbers are the same either way). */
  unroll?: boolean;
  /** At masked steps output zeros instead of repeating the previous output. */
  zeroOutputForMask?: boolean;
}

export interface RNNCallOptions {
  /** The initial state: `[h0]` or `h0`, each `[B,U]`. Omitted: zeros (or the carried state when stateful). */
  initialState?: Tensor | readonly Tensor[] | null;
  /** `[B,T]`, 1/true = use the step, 0/false = skip it; `int32`, `bool` or `float32`. */
  mask?: Tensor | null;
  /** Training mode (dropout). Default false. */
  training?: boolean;
}

/** What the time loop produces before `returnSequences`/`returnState` pick from it. */
export interface LoopResult {
  lastOutput: Tensor;
  /** [B,T,U] in processing order, or null when not requested. */
  outputs: Tensor | null;
  states: Tensor[];
}

export type RNNCell = GRUCell;

export abstract class RNN extends Layer {
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  /** The carried state variables of a stateful layer (created on the first call), else null. */
  states: Variable[] | null = null;

  constructor(cell: RNNCell, args: RNNOptions & LayerArgs, className: string) {
    super(args, className);
    const context = `${className} constructor`;
    const flag = (name: keyof RNNOptions): boolean => {
      const value = args[name] ?? false;
      if (typeof value !== 'boolean') {
        throw new InvalidArgumentError({ argument: name, expected: 'a boolean', received: value, context });
      }
      return value;
    };
    this.cell = cell;
    this.returnSequences = flag('returnSequences');
    this.returnState = flag('returnState');
    this.goBackwards = flag('goBackwards');
    this.stateful = flag('stateful');
    this.unroll = flag('unroll');
    this.zeroOutputForMask = flag('zeroOutputForMask');
  }

  /** The cell's weights are the layer's weights. */
  override get trackedWeights(): LayerWeight[] {
    return this.cell.trackedWeights;
  }

  /** `inputShape` is [batch, timesteps, features]. */
  override build(inputShape: Shape): void {
    if (!Array.isArray(inputShape) || inputShape.length !== 3) {
      throw new ShapeError({
        argument: 'inputShape',
        expected: 'a rank-3 shape [batch, timesteps, features]',
        received: inputShape,
        context: `${this.className} '${this.name}'.build`,
      });
    }
    this.cell.build([inputShape[0]!, inputShape[2]!]);
    this.built = true;
  }

  /**
   * Runs the layer on `inputs` [B,T,I]. Returns the output (`[B,U]`, or `[B,T,U]` with returnSequences), or
   * `[output, state]` with returnState, as Keras does.
   */
  apply(inputs: Tensor | TensorLike, options: RNNCallOptions = {}): Tensor | Tensor[] {
    const context = `${this.className} '${this.name}'.apply`;
    const x0 = inputs instanceof Tensor ? inputs : makeTensor(inputs as TensorLike);
    if (x0.rank !== 3) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'a rank-3 tensor [batch, timesteps, features]',
        received: formatShape(x0.shape),
        context,
      });
    }
    if (!this.built) this.build([x0.shape[0]!, x0.shape[1]!, x0.shape[2]!]);
    const inputDim = this.cell.inputDim;
    if (x0.shape[2] !== inputDim) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `last dimension ${inputDim} (the layer was built for [batch, timesteps, ${inputDim}])`,
        received: formatShape(x0.shape),
        context,
      });
    }
    const x = x0.dtype === this.dtype ? x0 : cast(x0, this.dtype);
    const [batch, steps] = x.shape as [number, number, number];
    const mask = this.checkMask(options.mask ?? null, batch, steps, context);
    const initial = this.resolveInitialState(options.initialState ?? null, batch, context);
    const result = this.innerLoop(x, initial, mask, options.training ?? false);
    if (this.stateful) this.states!.forEach((v, i) => v.assign(result.states[i]!));
    const output = this.returnSequences ? result.outputs! : result.lastOutput;
    const all = this.returnState ? [output, ...result.states] : [output];
    this.recordActivityLoss(all);
    return this.returnState ? all : output;
  }

  /** Resets a stateful layer's state to zeros, or to `values` (one `[B,U]` per state). */
  resetStates(values?: Tensor | readonly Tensor[] | null): void {
    const context = `${this.className} '${this.name}'.resetStates`;
    if (!this.stateful) {
      throw new InvalidArgumentError({ argument: 'stateful', expected: 'a stateful layer (stateful: true)', received: false, context });
    }
    if (values === undefined || values === null) {
      this.states?.forEach((v) => v.assign(zeros(v.shape, this.dtype)));
      return;
    }
    const list = values instanceof Tensor ? [values] : [...values];
    const batch = this.states?.[0]?.shape[0] ?? list[0]?.shape[0];
    if (typeof batch !== 'number') {
      throw new InvalidArgumentError({ argument: 'values', expected: 'one [batch, units] tensor per state', received: values, context });
    }
    const checked = this.checkStates(list, batch, 'values', context);
    if (this.states === null) this.states = checked.map((t) => new Variable(t, { name: 'rnn_state', trainable: false, dtype: this.dtype }));
    else this.states.forEach((v, i) => v.assign(checked[i]!));
  }

  /** Keras's `reset_state` spelling. */
  resetState(values?: Tensor | readonly Tensor[] | null): void {
    this.resetStates(values);
  }

  /** The zero state for a batch, one tensor per state. */
  getInitialState(batchSize: number): Tensor[] {
    return [zeros([batchSize, this.cell.stateSize], this.dtype)];
  }

  /** The generic time loop over `cell.step`, built from differentiable ops. */
  protected innerLoop(x: Tensor, initialState: Tensor[], mask: Uint8Array | null, training: boolean): LoopResult {
    const [B, T, I] = x.shape as [number, number, number];
    const dropoutMasks = this.cell.dropoutMasks(B, training);
    const U = this.cell.outputSize;
    let states = initialState;
    let prevOutput = zeros([B, U], this.dtype);
    const zeroOutput = prevOutput;
    const outputs: Tensor[] = [];
    for (let s = 0; s < T; s++) {
      const t = this.goBackwards ? T - 1 - s : s;
      const xt = reshape(slice(x, [0, t, 0], [B, 1, I]), [B, I]);
      let [output, newStates] = this.cell.step(xt, states, dropoutMasks);
      if (mask !== null) {
        const m = new Uint8Array(B);
        for (let b = 0; b < B; b++) m[b] = mask[b * T + t]!;
        const keep = new Tensor(m, [B, 1], 'bool');
        output = where(keep, output, this.zeroOutputForMask ? zeroOutput : prevOutput);
        newStates = newStates.map((ns, i) => where(keep, ns, states[i]!));
      }
      prevOutput = output;
      states = newStates;
      if (this.returnSequences) outputs.push(output);
    }
    return { lastOutput: prevOutput, outputs: this.returnSequences ? stack(outputs, 1) : null, states };
  }

  private checkMask(mask: Tensor | null, batch: number, steps: number, context: string): Uint8Array | null {
    if (mask === null) return null;
    if (!(mask instanceof Tensor) || mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw new ShapeError({
        argument: 'mask',
        expected: `a tensor of shape [${batch}, ${steps}] (batch, timesteps)`,
        received: mask instanceof Tensor ? formatShape(mask.shape) : mask,
        context,
      });
    }
    const out = new Uint8Array(mask.size);
    for (let i = 0; i < out.length; i++) out[i] = mask.values[i] !== 0 ? 1 : 0;
    return out;
  }

  private checkStates(list: readonly unknown[], batch: number, argument: string, context: string): Tensor[] {
    const expectedCount = 1;
    if (list.length !== expectedCount) {
      throw new InvalidArgumentError({ argument, expected: `${expectedCount} state tensor(s)`, received: `${list.length} tensors`, context });
    }
    return list.map((s, i) => {
      const U = this.cell.stateSize;
      if (!(s instanceof Tensor) || s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== U) {
        throw new ShapeError({
          argument: `${argument}[${i}]`,
          expected: `a tensor of shape [${batch}, ${U}] (batch, units)`,
          received: s instanceof Tensor ? formatShape(s.shape) : s,
          context,
        });
      }
      return s.dtype === this.dtype ? s : cast(s, this.dtype);
    });
  }

  private resolveInitialState(given: Tensor | readonly Tensor[] | null, batch: number, context: string): Tensor[] {
    if (given !== null) {
      return this.checkStates(given instanceof Tensor ? [given] : [...given], batch, 'initialState', context);
    }
    if (!this.stateful) return this.getInitialState(batch);
    if (this.states === null) {
      this.states = this.getInitialState(batch).map(
        (t) => new Variable(t, { name: 'rnn_state', trainable: false, dtype: this.dtype }),
      );
    }
    const stateBatch = this.states[0]!.shape[0];
    if (stateBatch !== batch) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `batch size ${stateBatch} (a stateful layer keeps one state per sample)`,
        received: `batch size ${batch}`,
        context,
      });
    }
    return this.states.map((v) => v.read());
  }
}
