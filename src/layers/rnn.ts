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
import { Tensor, zeros } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { argsFromConfig, translatorOf } from './translators.js';
import { Layer, type CallOptions, type LayerArgs, type LayerWeight, type Shape, type TypedApply } from './layer.js';
import { assertRNNCell, stateSizes, type RNNCell } from './rnn-cell.js';

export type { RNNCell } from './rnn-cell.js';

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

/**
 * Call options of a recurrent layer: `initialState` (`[h0]` or `h0`, each `[B,U]`; omitted: zeros, or the
 * carried state when stateful), `mask` (`[B,T]`, 1/true = use the step; `int32`, `bool` or `float32`),
 * `training` (dropout).
 */
export type RNNCallOptions = CallOptions;

/** What the time loop produces before `returnSequences`/`returnState` pick from it. */
export interface LoopResult {
  lastOutput: Tensor;
  /** [B,T,U] in processing order, or null when not requested. */
  outputs: Tensor | null;
  states: Tensor[];
}

/** What `new RNN(...)` takes: the cell, the RNN's own options, the base layer options. */
export interface RNNArgs extends RNNOptions, LayerArgs {
  /** The cell run at every step, e.g. `new GRUCell({ units: 8 })` (see `RNNCell`). */
  cell: RNNCell;
}

/**
 * What a recurrent layer returns: the output alone, or `[output, ...states]` when `returnState` (`RS`) is
 * true, and either when `RS` is only known at run time (`boolean`).
 */
export type RecurrentOutput<RS extends boolean, States extends Tensor[] = Tensor[]> = [RS] extends [true]
  ? [Tensor, ...States]
  : [RS] extends [false]
    ? Tensor
    : Tensor | Tensor[];

/** `RS` is `returnState` as a type, so that `apply`'s result type follows it (see `RecurrentOutput`). */
export class RNN<RS extends boolean = boolean> extends Layer {
  declare apply: TypedApply<RecurrentOutput<RS>>;
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: RS;
  protected override readonly callInputName: string = 'sequences';
  override readonly callTakesMask: boolean = true;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  /** Writable, as in Keras: Bidirectional sets it to returnSequences on both of its layers. */
  zeroOutputForMask: boolean;
  /** The carried state variables of a stateful layer (created on the first call), else null. */
  states: Variable[] | null = null;

  /** `className` is for subclasses (GRU passes 'GRU'). */
  constructor(args: RNNArgs, className = 'RNN') {
    const context = `${className} constructor`;
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with cell',
        received: args,
        context,
      });
    }
    super(args, className);
    const cell = assertRNNCell(args.cell, 'cell', context);
    const flag = (name: keyof RNNOptions): boolean => {
      const value = args[name] ?? false;
      if (typeof value !== 'boolean') {
        throw new InvalidArgumentError({ argument: name, expected: 'a boolean', received: value, context });
      }
      return value;
    };
    this.cell = cell;
    this.returnSequences = flag('returnSequences');
    this.returnState = flag('returnState') as RS;
    this.goBackwards = flag('goBackwards');
    this.stateful = flag('stateful');
    this.unroll = flag('unroll');
    this.zeroOutputForMask = flag('zeroOutputForMask');
    this.supportsMasking = true;
  }

  get className(): string {
    return 'RNN';
  }

  /** Keras 3's `RNN.get_config()`: base config, the RNN flags, then the cell serialized. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(RNN, `${this.className}.getConfig`).toConfig(this, this.baseConfig());
  }

  /** The base layer config (name, trainable, dtype) without the RNN keys: GRU writes its own config on it. */
  protected baseConfig(): Record<string, unknown> {
    return super.getConfig();
  }

  /** An RNN from a Keras config; the cell is deserialized (and built from its build_config). */
  static fromConfig(config: Record<string, unknown>): RNN {
    return new RNN(argsFromConfig(RNN, config, 'RNN.fromConfig'));
  }

  /** The cell's weights are the layer's weights. */
  override get trackedWeights(): LayerWeight[] {
    return this.cell.trackedWeights;
  }

  /** `inputShape` is [batch, timesteps, features]. */
  override build(shape: Shape | Shape[]): void {
    const inputShape = shape as Shape;
    if (!Array.isArray(inputShape) || inputShape.length !== 3) {
      throw new ShapeError({
        argument: 'inputShape',
        expected: 'a rank-3 shape [batch, timesteps, features]',
        received: inputShape,
        context: `${this.className} '${this.name}'.build`,
      });
    }
    // As Keras: a cell that is already built (e.g. deserialized with its build_config) keeps its weights.
    if (!this.cell.built) this.cell.build([inputShape[0]!, inputShape[2]!]);
    this.buildInputShape = [...inputShape] as Shape;
    this.built = true;
  }

  /** Inputs are [batch, timesteps, features], with the feature size the layer was built for. */
  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    checkSequenceInput(shapes, this.built ? this.cell.inputDim : null, context);
  }

  /**
   * Runs the layer on `inputs` [B,T,I] (through `apply`). Returns the output (`[B,U]`, or `[B,T,U]` with
   * returnSequences), or `[output, state]` with returnState, as Keras does.
   */
  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor | Tensor[] {
    const context = `${this.className} '${this.name}'.apply`;
    const x0 = Array.isArray(inputs) ? inputs[0]! : inputs;
    const x = x0.dtype === this.dtype ? x0 : cast(x0, this.dtype);
    const [batch, steps] = x.shape as [number, number, number];
    const maskArg = Array.isArray(options.mask) ? (options.mask[0] ?? null) : options.mask;
    const mask = this.checkMask((maskArg as Tensor | null | undefined) ?? null, batch, steps, context);
    const given = options.initialState as Tensor | readonly Tensor[] | null | undefined;
    const initial = this.resolveInitialState(given ?? null, batch, context);
    const result = this.innerLoop(x, initial, mask, options.training ?? false);
    if (this.stateful) {
      this.addUpdate(
        this.states!.map((v, i) => [v, result.states[i]!] as const),
        inputs,
      );
    }
    const output = this.returnSequences ? result.outputs! : result.lastOutput;
    return this.returnState ? [output, ...result.states] : output;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [batch, steps] = inputShape as Shape;
    const units = this.cell.outputSize;
    const output: Shape = this.returnSequences ? [batch ?? null, steps ?? null, units] : [batch ?? null, units];
    return this.returnState ? [output, ...stateSizes(this.cell).map((size): Shape => [batch ?? null, size])] : output;
  }

  /** Keras's RNN mask rule: the input mask goes on with the sequence output, and states carry none. */
  override computeMask(
    _inputs: Tensor | Tensor[],
    mask: Tensor | null | (Tensor | null)[],
  ): Tensor | null | (Tensor | null)[] {
    const m = Array.isArray(mask) ? (mask[0] ?? null) : mask;
    const outputMask = this.returnSequences ? m : null;
    return this.returnState ? [outputMask, ...stateSizes(this.cell).map(() => null)] : outputMask;
  }

  override producesMask(inputHasMask: readonly boolean[]): boolean {
    return this.returnSequences && inputHasMask[0] === true;
  }

  /** Resets a stateful layer's state to zeros, or to `values` (one `[B,U]` per state). */
  resetStates(values?: Tensor | readonly Tensor[] | null): void {
    const context = `${this.className} '${this.name}'.resetStates`;
    if (!this.stateful) {
      throw new InvalidArgumentError({
        argument: 'stateful',
        expected: 'a stateful layer (stateful: true)',
        received: false,
        context,
      });
    }
    if (values === undefined || values === null) {
      this.states?.forEach((v) => v.assign(zeros(v.shape, this.dtype)));
      return;
    }
    const list = values instanceof Tensor ? [values] : [...values];
    const batch = this.states?.[0]?.shape[0] ?? list[0]?.shape[0];
    if (typeof batch !== 'number') {
      throw new InvalidArgumentError({
        argument: 'values',
        expected: 'one [batch, units] tensor per state',
        received: values,
        context,
      });
    }
    const checked = this.checkStates(list, batch, 'values', context);
    if (this.states === null)
      this.states = checked.map((t) => new Variable(t, { name: 'rnn_state', trainable: false, dtype: this.dtype }));
    else this.states.forEach((v, i) => v.assign(checked[i]!));
  }

  /** Keras's `reset_state` spelling. */
  resetState(values?: Tensor | readonly Tensor[] | null): void {
    this.resetStates(values);
  }

  /**
   * The zero state, one tensor per state: for `inputs` [B,T,I] (the page's `get_initial_state(inputs)`) or for
   * a batch size.
   */
  getInitialState(inputs: Tensor | number): Tensor[] {
    const batchSize = typeof inputs === 'number' ? inputs : inputs.shape[0]!;
    return stateSizes(this.cell).map((size) => zeros([batchSize, size], this.dtype));
  }

  /**
   * One time step (the page's `step(inputs, states)`): inputs [B,I] and states [h [B,U]] give
   * `[output, [h']]`. Constant work per step (no sequence is rebuilt), the same numbers as a sequence call, the
   * same kernel (fused where the layer uses it); masks and goBackwards do not apply to a single step.
   */
  step(inputs: Tensor, states: readonly Tensor[]): [Tensor, Tensor[]] {
    const context = `${this.className} '${this.name}'.step`;
    if (!(inputs instanceof Tensor) || inputs.rank !== 2) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'a rank-2 tensor [batch, features]',
        received: inputs instanceof Tensor ? formatShape(inputs.shape) : inputs,
        context,
      });
    }
    const [batch, features] = inputs.shape as [number, number];
    if (!this.built) this.build([batch, 1, features]);
    this.checkInputShapes([[batch, 1, features]], context);
    const x = reshape(inputs.dtype === this.dtype ? inputs : cast(inputs, this.dtype), [batch, 1, features]);
    const initial = this.checkStates([...states], batch, 'states', context);
    const result = this.innerLoop(x, initial, null, false);
    return [result.lastOutput, result.states];
  }

  /**
   * TF 1.x's `get_constants(inputs, training)`: the per-call constants the step function uses, which for GRU
   * are the dropout masks (input masks, then recurrent masks); none outside training or without dropout.
   */
  getConstants(inputs: Tensor, training = false): Tensor[] {
    return tensorsIn(this.cell.dropoutMasks(inputs.shape[0]!, training));
  }

  /** The generic time loop over `cell.step`, built from differentiable ops. */
  protected innerLoop(x: Tensor, initialState: Tensor[], mask: Uint8Array | null, training: boolean): LoopResult {
    const [B, T, I] = x.shape as [number, number, number];
    const dropoutMasks = this.cell.dropoutMasks(B, training);
    const stepWeights = this.cell.stepWeights?.();
    // The mask as [T,B], so each step's keep flags are one contiguous view.
    let maskTB: Uint8Array | null = null;
    if (mask !== null) {
      maskTB = new Uint8Array(B * T);
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) maskTB[t * B + b] = mask[b * T + t]!;
    }
    const U = this.cell.outputSize;
    let states = initialState;
    let prevOutput = zeros([B, U], this.dtype);
    const zeroOutput = prevOutput;
    const outputs: Tensor[] = [];
    for (let s = 0; s < T; s++) {
      const t = this.goBackwards ? T - 1 - s : s;
      const xt = reshape(slice(x, [0, t, 0], [B, 1, I]), [B, I]);
      let [output, newStates] = this.cell.step(xt, states, dropoutMasks, stepWeights);
      if (maskTB !== null) {
        const keep = new Tensor(maskTB.subarray(t * B, (t + 1) * B), [B, 1], 'bool');
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
    const sizes = stateSizes(this.cell);
    if (list.length !== sizes.length) {
      throw new InvalidArgumentError({
        argument,
        expected: `${sizes.length} state tensor(s)`,
        received: `${list.length} tensors`,
        context,
      });
    }
    return list.map((s, i) => {
      const U = sizes[i]!;
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
    // The state variables themselves: kernels only read their initial state, and assign() swaps in new storage.
    return [...this.states];
  }
}

/** The tensors in a cell's dropout masks, in order (arrays and object fields walked depth-first; nulls skipped). */
function tensorsIn(value: unknown): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(tensorsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(tensorsIn);
  return [];
}

/**
 * The input check of recurrent layers (and of wrappers around them): one rank-3 tensor [batch, timesteps,
 * features] whose feature size is `inputDim` once the layer is built (null: not built yet).
 */
export function checkSequenceInput(
  shapes: readonly (readonly (number | null)[])[],
  inputDim: number | null,
  context: string,
): void {
  const shape = shapes[0]!;
  if (shapes.length !== 1 || shape.length !== 3) {
    throw new ShapeError({
      argument: 'inputs',
      expected: 'one rank-3 tensor [batch, timesteps, features]',
      received: shapes.length === 1 ? formatShape(shape) : `${shapes.length} tensors`,
      context,
    });
  }
  if (inputDim !== null && shape[2] !== inputDim) {
    throw new ShapeError({
      argument: 'inputs',
      expected: `last dimension ${inputDim} (the layer was built for [batch, timesteps, ${inputDim}])`,
      received: formatShape(shape),
      context,
    });
  }
}
