/**
 * `Bidirectional`: Keras 3's wrapper that runs a recurrent layer over the sequence in both directions and
 * merges the two outputs:
 *
 *     y    = forward(inputs)                       forward: a fresh copy of `layer`, named forward_<name>
 *     yRev = backward(inputs)                      backward: a copy with goBackwards, named backward_<name>
 *     yRev = reverse(yRev, time)                   (sequence outputs only: back into forward time order)
 *     out  = concat(y, yRev) | y + yRev | y ⊙ yRev | (y + yRev) / 2 | [y, yRev]     by mergeMode
 *
 * With returnState the result is `[out, ...forwardStates, ...backwardStates]` (`[y, yRev, ...states]` for
 * mergeMode null); an initial state is split in halves, the first for the forward layer. Both layers get the
 * same mask and, when they return sequences, output zeros at masked steps (Keras forces `zeroOutputForMask`
 * to `returnSequences`), so the merged output is zero at padding. Weights: the forward layer's, then the
 * backward layer's (Keras order).
 *
 * As in Keras, the wrapped `layer` itself is not used (nor its weights): the copies are made from its config.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { argsFromConfig, translatorOf } from './translators.js';
import { add, div, mul } from '../ops/arithmetic.js';
import { cast, concat, reverse } from '../ops/shape-ops.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { singleInput, singleMask } from './call-args.js';
import { Layer, type CallOptions, type LayerArgs, type LayerWeight, type Shape, type TypedApply } from './layer.js';
import { RNN, checkSequenceInput } from './rnn.js';
import { stateSizes } from './rnn-cell.js';

/** How the two directions are combined; null returns both. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

/** `L` and `M` are the wrapped layer's and the merge mode's types, from which `apply`'s result type follows. */
export interface BidirectionalArgs<L extends RNN = RNN, M extends MergeMode = MergeMode> extends LayerArgs {
  /** The recurrent layer to run in both directions (e.g. a GRU); it serves as a template. */
  layer: L;
  /** Default `'concat'`; null returns `[forward, backward]`. */
  mergeMode?: M;
  /**
   * The layer for the backward direction, used as given (not copied); it must have the opposite goBackwards
   * and the same stateful, returnSequences and returnState as `layer`.
   */
  backwardLayer?: RNN | null;
  /** Initial weights, set when the layer is built: the forward layer's, then the backward layer's. */
  weights?: readonly (Tensor | TensorLike)[] | null;
}

function withoutPrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** A new layer of `layer`'s class from its config with `overrides`, built like it (fresh weights). */
function copyRNN(layer: RNN, overrides: Record<string, unknown>, context: string): RNN {
  const ctor = layer.constructor as { fromConfig?: (config: Record<string, unknown>) => unknown };
  const config = layer.getConfig();
  // Activations pass as objects: a config names Keras 2's hard_sigmoid and a custom function in ways that
  // would read back as something else (Keras 3's hard_sigmoid) or not at all.
  const cell = (layer as { cell?: { activation?: unknown; recurrentActivation?: unknown } }).cell;
  const activations: Record<string, unknown> = {};
  if ('activation' in config && cell?.activation !== undefined) activations.activation = cell.activation;
  if ('recurrent_activation' in config && cell?.recurrentActivation !== undefined)
    activations.recurrent_activation = cell.recurrentActivation;
  const copy =
    typeof ctor.fromConfig === 'function' ? ctor.fromConfig({ ...config, ...activations, ...overrides }) : undefined;
  if (!(copy instanceof RNN)) {
    throw new InvalidArgumentError({
      argument: 'layer',
      expected: 'a recurrent layer whose class has fromConfig (Bidirectional copies it from its config)',
      received: `${layer.className} '${layer.name}'`,
      context,
    });
  }
  if (layer.built && layer.buildInputShape !== null) copy.build(layer.buildInputShape);
  return copy;
}

/** Keras sets `zero_output_for_mask = return_sequences` on both directions, so padding merges to zeros. */
function forceZeroOutputForMask(layer: RNN): void {
  (layer as { zeroOutputForMask: boolean }).zeroOutputForMask = layer.returnSequences;
}

/** What one direction's `apply` gives on real tensors (`Tensor`, or `[output, ...states]`). */
type DirectionOutput<L extends RNN> = L['apply'] extends (...args: never[]) => infer R ? R : never;

/**
 * What `Bidirectional.apply` gives for a wrapped layer whose result is `R` and merge mode `M`: the merged
 * output (or `[y, yRev]` for null), followed by the forward then the backward states when the layer returns
 * states; `Tensor | Tensor[]` when that is only known at run time.
 */
export type BidirectionalOutput<R, M extends MergeMode> = [R] extends [Tensor]
  ? [M] extends [null]
    ? [Tensor, Tensor]
    : [Extract<M, null>] extends [never]
      ? Tensor
      : Tensor | Tensor[]
  : [R] extends [[Tensor, ...infer States extends Tensor[]]]
    ? [M] extends [null]
      ? [Tensor, Tensor, ...States, ...States]
      : [Extract<M, null>] extends [never]
        ? [Tensor, ...States, ...States]
        : Tensor[]
    : Tensor | Tensor[];

export class Bidirectional<L extends RNN = RNN, M extends MergeMode = MergeMode> extends Layer {
  declare apply: TypedApply<BidirectionalOutput<DirectionOutput<L>, M>>;
  readonly className: string = 'Bidirectional';
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: M;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  protected override readonly callInputName: string = 'sequences';
  override readonly callTakesMask: boolean = true;
  readonly stateful: boolean;
  private initialWeights: (Tensor | TensorLike)[] | null;

  constructor(args: BidirectionalArgs<L, M>) {
    const context = 'Bidirectional constructor';
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with layer',
        received: args,
        context,
      });
    }
    super(args, 'Bidirectional');
    const layer: unknown = args.layer;
    if (!(layer instanceof RNN)) {
      throw new InvalidArgumentError({
        argument: 'layer',
        expected: 'a recurrent layer (an RNN such as GRU)',
        received: layer instanceof Layer ? `${layer.className} '${layer.name}'` : layer,
        context,
      });
    }
    const backwardArg: unknown = args.backwardLayer ?? null;
    if (backwardArg !== null && !(backwardArg instanceof RNN)) {
      throw new InvalidArgumentError({
        argument: 'backwardLayer',
        expected: 'a recurrent layer (an RNN such as GRU) or null',
        received: backwardArg instanceof Layer ? `${backwardArg.className} '${backwardArg.name}'` : backwardArg,
        context,
      });
    }
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(mergeMode)) {
      throw new InvalidArgumentError({
        argument: 'mergeMode',
        expected: "one of 'concat', 'sum', 'mul', 'ave' or null",
        received: mergeMode,
        context,
      });
    }
    const weights = args.weights ?? null;
    if (weights !== null && !Array.isArray(weights)) {
      throw new InvalidArgumentError({
        argument: 'weights',
        expected: 'a list of weights (forward, then backward) or null',
        received: weights,
        context,
      });
    }

    this.forwardLayer = copyRNN(
      layer,
      { name: `forward_${withoutPrefix(layer.name, 'forward_')}`, zero_output_for_mask: layer.returnSequences },
      context,
    );
    this.backwardLayer =
      backwardArg ??
      copyRNN(
        layer,
        {
          name: `backward_${withoutPrefix(layer.name, 'backward_')}`,
          go_backwards: true,
          zero_output_for_mask: layer.returnSequences,
        },
        context,
      );
    this.checkDirections(backwardArg === null ? 'layer' : 'backwardLayer', context);
    forceZeroOutputForMask(this.forwardLayer);
    forceZeroOutputForMask(this.backwardLayer);
    this.mergeMode = mergeMode as M;
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
    this.stateful = layer.stateful;
    this.initialWeights = weights === null ? null : [...weights];
    this.supportsMasking = true;
  }

  /** Keras's `_verify_layer_config`: opposite goBackwards; the same stateful, returnSequences, returnState. */
  private checkDirections(argument: 'layer' | 'backwardLayer', context: string): void {
    const f = this.forwardLayer;
    const b = this.backwardLayer;
    if (f.goBackwards === b.goBackwards) {
      // Without backwardLayer the backward copy has goBackwards true (Keras), so `layer` must not.
      throw new InvalidArgumentError({
        argument,
        expected: `forward and backward layers with different goBackwards (the forward layer has goBackwards ${f.goBackwards})`,
        received: `backward layer with goBackwards ${b.goBackwards}`,
        context,
      });
    }
    for (const key of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (f[key] !== b[key]) {
        throw new InvalidArgumentError({
          argument: 'backwardLayer',
          expected: `${key} ${f[key]}, as the forward layer`,
          received: `${key} ${b[key]}`,
          context,
        });
      }
    }
  }

  /** The forward layer's weights, then the backward layer's. */
  override get trackedWeights(): LayerWeight[] {
    return [...this.forwardLayer.trackedWeights, ...this.backwardLayer.trackedWeights];
  }

  /** The carried states of a stateful layer: forward's, then backward's; null when not stateful or not yet called. */
  get states(): Variable[] | null {
    const f = this.forwardLayer.states;
    const b = this.backwardLayer.states;
    return f !== null && b !== null ? [...f, ...b] : null;
  }

  /** Resets both directions' states to zeros (stateful layers only). */
  resetStates(): void {
    if (!this.stateful) {
      throw new InvalidArgumentError({
        argument: 'stateful',
        expected: 'a stateful layer (stateful: true)',
        received: false,
        context: `Bidirectional '${this.name}'.resetStates`,
      });
    }
    this.forwardLayer.resetStates();
    this.backwardLayer.resetStates();
  }

  /** Keras's `reset_state` spelling. */
  resetState(): void {
    this.resetStates();
  }

  /** `inputShape` is [batch, timesteps, features]; builds both directions, then sets `weights` if given. */
  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (!Array.isArray(shape) || shape.length !== 3 || Array.isArray(shape[0])) {
      throw new ShapeError({
        argument: 'inputShape',
        expected: 'a rank-3 shape [batch, timesteps, features]',
        received: Array.isArray(shape) && !Array.isArray(shape[0]) ? formatShape(shape) : inputShape,
        context: `Bidirectional '${this.name}'.build`,
      });
    }
    if (!this.forwardLayer.built) this.forwardLayer.build([...shape]);
    if (!this.backwardLayer.built) this.backwardLayer.build([...shape]);
    if (this.initialWeights !== null) {
      const half = Math.floor(this.initialWeights.length / 2);
      this.forwardLayer.setWeights(this.initialWeights.slice(0, half));
      this.backwardLayer.setWeights(this.initialWeights.slice(half));
      this.initialWeights = null;
    }
    this.buildInputShape = [...shape];
    this.built = true;
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    checkSequenceInput(shapes, this.forwardLayer.built ? this.forwardLayer.cell.inputDim : null, context);
  }

  /** The initial states for each direction: the first half of the list, then the second. */
  private splitInitialState(given: CallOptions['initialState'], context: string): [Tensor[] | null, Tensor[] | null] {
    if (given === undefined || given === null) return [null, null];
    const list: unknown[] = Array.isArray(given) ? [...given] : [given];
    list.forEach((s, i) => {
      if (!(s instanceof Tensor)) {
        throw new InvalidArgumentError({
          argument: `initialState[${i}]`,
          expected: 'a tensor [batch, units]',
          received: s,
          context,
        });
      }
    });
    if (list.length < 2 || list.length % 2 !== 0) {
      throw new InvalidArgumentError({
        argument: 'initialState',
        expected: 'an even number of state tensors: the forward states, then the backward states',
        received: `${list.length} tensor${list.length === 1 ? '' : 's'}`,
        context,
      });
    }
    const half = list.length / 2;
    return [list.slice(0, half) as Tensor[], list.slice(half) as Tensor[]];
  }

  /** inputs [B,T,I] → the merged output (see the class comment), with the states when returnState. */
  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor | Tensor[] {
    const context = `Bidirectional '${this.name}'.call`;
    const x = singleInput(inputs, context);
    this.checkInputShapes([x.shape], context);
    if (!this.built) this.build([...x.shape]);
    const mask = singleMask(options.mask, context);
    const [forwardState, backwardState] = this.splitInitialState(options.initialState, context);
    const common = { training: options.training ?? false, mask };
    const forwardOut = this.forwardLayer.apply(x, { ...common, initialState: forwardState });
    const backwardOut = this.backwardLayer.apply(x, { ...common, initialState: backwardState });

    let y: Tensor;
    let yRev: Tensor;
    let states: Tensor[] = [];
    if (this.returnState) {
      const f = forwardOut as Tensor[];
      const b = backwardOut as Tensor[];
      [y, yRev] = [f[0]!, b[0]!];
      states = [...f.slice(1), ...b.slice(1)];
    } else {
      [y, yRev] = [forwardOut as Tensor, backwardOut as Tensor];
    }
    if (y.dtype !== this.dtype) y = cast(y, this.dtype);
    if (yRev.dtype !== this.dtype) yRev = cast(yRev, this.dtype);
    // The backward layer's sequence is in processing (reversed) order; put it back in time order.
    if (this.returnSequences) yRev = reverse(yRev, 1);

    const merged = this.merge(y, yRev);
    if (!this.returnState) return merged;
    return [...(Array.isArray(merged) ? merged : [merged]), ...states];
  }

  private merge(y: Tensor, yRev: Tensor): Tensor | Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return concat([y, yRev], y.rank - 1);
      case 'sum':
        return add(y, yRev);
      case 'mul':
        return mul(y, yRev);
      case 'ave':
        return div(add(y, yRev), 2);
      case null:
        return [y, yRev];
    }
  }

  /** The forward layer's output shape; doubled last axis with concat; two outputs with mergeMode null; then the states of both. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const forward = this.forwardLayer.computeOutputShape(inputShape);
    let output: Shape;
    let stateShapes: Shape[] = [];
    if (this.returnState) {
      const list = forward as Shape[];
      output = list[0]!;
      stateShapes = list.slice(1);
    } else {
      output = forward as Shape;
    }
    if (this.mergeMode === 'concat') {
      const last = output[output.length - 1];
      output = [...output.slice(0, -1), last === null || last === undefined ? null : last * 2];
    }
    const outputs = this.mergeMode === null ? [output, [...output]] : [output];
    if (this.returnState) return [...outputs, ...stateShapes, ...stateShapes.map((s) => [...s])];
    return this.mergeMode === null ? outputs : output;
  }

  /** Keras's rule: the input mask goes on with sequence outputs (to both with mergeMode null); states carry none. */
  override computeMask(
    _inputs: Tensor | Tensor[],
    mask: Tensor | null | (Tensor | null)[],
  ): Tensor | null | (Tensor | null)[] {
    const m = Array.isArray(mask) ? (mask[0] ?? null) : mask;
    const outputMask = this.returnSequences ? m : null;
    const outputs = this.mergeMode === null ? [outputMask, outputMask] : [outputMask];
    if (this.returnState) return [...outputs, ...Array<null>(2 * stateSizes(this.forwardLayer.cell).length).fill(null)];
    return this.mergeMode === null ? outputs : outputMask;
  }

  override producesMask(inputHasMask: readonly boolean[]): boolean {
    return this.returnSequences && inputHasMask[0] === true;
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  /** Keras 3's `Bidirectional.get_config()`: base config, merge_mode, then both layers serialized. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Bidirectional, `${this.className}.getConfig`).toConfig(this, super.getConfig());
  }

  /** A Bidirectional from a Keras config; both layers are rebuilt from their `build_config`. */
  static fromConfig(config: Record<string, unknown>): Bidirectional {
    return new Bidirectional(argsFromConfig(Bidirectional, config, 'Bidirectional.fromConfig'));
  }
}
