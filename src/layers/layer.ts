/**
 * `Layer`: the Keras layer contract — a name, weights created in `build(inputShape)`, `call` for the math and
 * `apply` around it (building on first use, checking input, activity regularization). This file is the call
 * protocol and the config; the class is built in three parts: tracking.ts (identity, weights, losses,
 * updates) → inbound-nodes.ts (symbolic calls and their accessors) → this file.
 */
import { AttributeError, InvalidArgumentError, KerasGruError } from '../errors.js';
import { serializeRegularizer } from '../regularizers/index.js';
import { Tensor, toTensorArgument, type TensorLike } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { serializeDTypePolicy } from './dtype-policy.js';
import { ConnectedLayer } from './inbound-nodes.js';
import { attachMask, maskOf } from './mask.js';
import { Node } from './node.js';
import { SymbolicTensor } from './symbolic-tensor.js';
import type { Shape } from './tracking.js';

export type { AddWeightOptions, LayerArgs, LayerUpdate, LayerWeight, Shape } from './tracking.js';

/** The keyword arguments of a call (Keras's `call(inputs, mask=None, training=None, initial_state=None)`). */
export interface CallOptions {
  /** Training mode (dropout applies). Default false. */
  training?: boolean;
  /**
   * The input mask, `[B,T]` (1 = keep), or one per input of a list (Attention's `[queryMask, valueMask]`).
   * Default: the masks attached to the inputs by the previous layers.
   */
  mask?: Tensor | SymbolicTensor | null | (Tensor | null)[] | (SymbolicTensor | null)[];
  /** Initial states of a recurrent layer: `[h0]` (or `h0`), each `[B,U]`; symbolic in a functional graph. */
  initialState?: Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[] | null;
}

/** What `apply` accepts: a tensor (or nested array), a symbolic tensor, or a list of them. */
export type LayerInput = Tensor | TensorLike | SymbolicTensor | readonly (Tensor | SymbolicTensor)[];

/** The symbolic counterpart of a result type: each `Tensor` in `R` (alone, or in a tuple/list) as a `SymbolicTensor`. */
export type Symbolic<R> = R extends Tensor ? SymbolicTensor : { [K in keyof R]: Symbolic<R[K]> };

/**
 * The `apply` of a layer whose result on real tensors is `R` (a `Tensor`, a tuple such as `[output, state]`,
 * or `Tensor | Tensor[]` when only known at run time); symbolic inputs give `Symbolic<R>`. Layers narrow
 * `apply` with it (`declare apply: TypedApply<Tensor>`), so callers need no cast.
 */
export interface TypedApply<R> {
  (inputs: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): Symbolic<R>;
  (inputs: LayerInput, options?: CallOptions): R;
}

/** The `apply` of a layer with one output: a `Tensor` for real inputs, a `SymbolicTensor` for symbolic ones. */
export type SingleOutputApply = TypedApply<Tensor>;

/** A loss added with `addLoss`, with the inputs it depends on (null: unconditional). */

export abstract class Layer extends ConnectedLayer {
  /** Whether the layer passes masks on (Keras's `supports_masking`); see `computeMask`. */
  supportsMasking = false;

  /**
   * Keras's `_build_shapes_dict` when the first call had tensor arguments besides the inputs (a recurrent
   * layer's `initial_state`): `{ sequences_shape, initial_state_shape }`, which `build_config` writes as
   * `shapes_dict`. Null when the inputs alone built the layer (then `build_config` is `{ input_shape }`).
   */
  buildShapesDict: Record<string, unknown> | null = null;

  /** The name of the first argument of Keras's `call` (`inputs`; RNNs say `sequences`): the shapes_dict key prefix. */
  protected readonly callInputName: string = 'inputs';

  /**
   * Whether Keras's `call` has a `mask` argument: then Keras records `mask: null` in a symbolic call's kwargs
   * when the input carries no mask (the merge layers, Dense and Masking have none).
   */
  readonly callTakesMask: boolean = false;

  /**
   * The names of the call options this layer class has besides `training`, `mask` and `initialState`
   * (Attention's `useCausalMask`, `returnAttentionScores`): a symbolic call records the ones it is given on
   * its node, so that running and saving the graph repeats them.
   */
  readonly callOptionNames: readonly string[] = [];

  /** Keras's base config: name, trainable, dtype policy (and activity_regularizer when set). */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      name: this.name,
      trainable: this.trainable,
      dtype: serializeDTypePolicy(this.dtype),
    };
    if (this.activityRegularizer !== null) config.activity_regularizer = serializeRegularizer(this.activityRegularizer);
    return config;
  }

  // ---- the call protocol -------------------------------------------------------------------------------

  /**
   * The layer's computation on real tensors (Keras's `call`). Subclasses override it; `apply` wraps it.
   * `inputs` is one tensor or a list, as given to `apply`.
   */
  call(_inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor | Tensor[] {
    throw new KerasGruError(`${this.className} '${this.name}': this layer cannot be called on tensors`);
  }

  /** The output shape(s) for input shape(s), batch first, null = unknown (Keras's `compute_output_shape`). */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    throw new AttributeError(
      `${this.className} '${this.name}'.computeOutputShape: this layer does not infer its output shape ` +
        `(received input shape ${JSON.stringify(inputShape)}); call it on real tensors instead`,
    );
  }

  /**
   * The output shape(s) of a call with `options` (Keras's `compute_output_spec`, which sees the call's
   * arguments). Default: `computeOutputShape`; a layer whose options change its outputs overrides it.
   */
  protected callOutputShape(inputShape: Shape | Shape[], _options: CallOptions): Shape | Shape[] {
    return this.computeOutputShape(inputShape);
  }

  /**
   * The mask of the output(s) given the input(s) and their mask (Keras's `compute_mask`). Default: the mask
   * passes through when the layer supports masking; otherwise it stops here.
   */
  computeMask(_inputs: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]): Tensor | null | (Tensor | null)[] {
    return this.supportsMasking ? mask : null;
  }

  /**
   * Whether the (first) output carries a mask, given which inputs carry one — the symbolic side of
   * `computeMask`, used when building a functional graph. Default: the first input's mask passes through.
   */
  producesMask(inputHasMask: readonly boolean[]): boolean {
    return this.supportsMasking && inputHasMask[0] === true;
  }

  /**
   * Checks the input shape(s) before building and calling (Keras's `input_spec`); throws a ShapeError naming
   * `inputs`. Default: anything goes.
   */
  protected checkInputShapes(_shapes: readonly (readonly (number | null)[])[], _context: string): void {}

  /**
   * Calls the layer (Keras's `__call__`). On real tensors: builds the layer on first use from the input
   * shape(s), takes the mask attached to the input unless `options.mask` is given, runs `call`, attaches the
   * output mask, records activity regularization. On symbolic tensors (`input()` and what layers return for
   * them): infers output shapes and masks and records the call as a node of a functional graph.
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor | SymbolicTensor[];
  apply(inputs: LayerInput, options?: CallOptions): Tensor | Tensor[];
  apply(inputs: LayerInput, options: CallOptions = {}): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    const context = `${this.className} '${this.name}'.apply`;
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError({
        argument: 'options',
        expected: 'an options object { mask, training, initialState }',
        received: options,
        context,
      });
    }
    const single =
      !Array.isArray(inputs) ||
      (inputs.length > 0 && !(inputs[0] instanceof Tensor) && !(inputs[0] instanceof SymbolicTensor));
    const list: (Tensor | SymbolicTensor)[] = single
      ? [
          inputs instanceof Tensor || inputs instanceof SymbolicTensor
            ? inputs
            : toTensorArgument(inputs, 'inputs', context),
        ]
      : [...(inputs as (Tensor | SymbolicTensor)[])];
    if (list.length === 0) {
      throw new InvalidArgumentError({
        argument: 'inputs',
        expected: 'a tensor or a non-empty list of tensors',
        received: inputs,
        context,
      });
    }
    const states =
      options.initialState === undefined || options.initialState === null
        ? []
        : Array.isArray(options.initialState)
          ? [...options.initialState]
          : [options.initialState as Tensor | SymbolicTensor];
    const masks = Array.isArray(options.mask) ? options.mask : [options.mask];
    const symbolic = [...list, ...states, ...masks].some((t) => t instanceof SymbolicTensor);
    this.checkInputShapes(
      list.map((t) => t.shape),
      context,
    );
    if (symbolic) return this.applySymbolic(list as SymbolicTensor[], single, states, options, context);
    const tensors = list as Tensor[];
    if (!this.built) {
      this.build(single ? [...tensors[0]!.shape] : tensors.map((t) => [...t.shape]));
      this.recordBuildShapes(
        single ? [...tensors[0]!.shape] : tensors.map((t) => [...t.shape]),
        states,
        options.initialState,
      );
    }
    const mask =
      options.mask !== undefined
        ? (options.mask as Tensor | null | (Tensor | null)[])
        : single
          ? maskOf(tensors[0]!)
          : tensors.map(maskOf);
    const callInputs = single ? tensors[0]! : tensors;
    this.startCallUpdates();
    const outputs = this.call(callInputs, {
      ...options,
      mask,
      initialState: states.length > 0 ? (states as Tensor[]) : (options.initialState as null | undefined),
    });
    const outList = Array.isArray(outputs) ? outputs : [outputs];
    if (this.supportsMasking) {
      const outMask = this.computeMask(callInputs, mask);
      const masks = Array.isArray(outMask) ? outMask : [outMask];
      outList.forEach((o, i) => attachMask(o, masks[i] ?? null));
    }
    this.recordActivityLoss(outList, tensors);
    return outputs;
  }

  private applySymbolic(
    inputs: SymbolicTensor[],
    single: boolean,
    states: (Tensor | SymbolicTensor)[],
    options: CallOptions,
    context: string,
  ): SymbolicTensor | SymbolicTensor[] {
    inputs.forEach((t, i) => {
      if (!(t instanceof SymbolicTensor)) {
        throw new InvalidArgumentError({
          argument: `inputs[${i}]`,
          expected: 'symbolic tensors only (do not mix them with real tensors)',
          received: t,
          context,
        });
      }
    });
    const stateSyms = states.map((s, i) => {
      if (!(s instanceof SymbolicTensor)) {
        throw new InvalidArgumentError({
          argument: `initialState[${i}]`,
          expected: 'a symbolic tensor when the inputs are symbolic',
          received: s,
          context,
        });
      }
      return s;
    });
    const shapes = inputs.map((t) => [...t.shape]);
    if (!this.built) {
      this.build(single ? shapes[0]! : shapes);
      this.recordBuildShapes(single ? shapes[0]! : shapes, states, options.initialState);
    }
    const outShape = this.callOutputShape(single ? shapes[0]! : shapes, options);
    const outShapes: Shape[] =
      outShape.length > 0 && Array.isArray(outShape[0]) ? (outShape as Shape[]) : [outShape as Shape];
    const explicitMask = symbolicMask(options.mask, inputs.length, context);
    const hasMask =
      explicitMask === null
        ? inputs.map((t) => t.mask !== null)
        : Array.isArray(explicitMask)
          ? explicitMask.map((m) => m !== null)
          : [true, ...inputs.slice(1).map((t) => t.mask !== null)];
    const nodeIndex = this.inboundNodes.length;
    const outDType: DType = this.outputDType(inputs);
    const outputs = outShapes.map((shape, tensorIndex) => {
      const history = { layer: this, nodeIndex, tensorIndex };
      const masked = tensorIndex === 0 && this.supportsMasking && this.producesMask(hasMask);
      const mask = masked ? new SymbolicTensor(shape.slice(0, -1), 'bool', `${this.name}_mask`, history) : null;
      return new SymbolicTensor(
        shape,
        outDType,
        outShapes.length === 1 ? this.name : `${this.name}_${tensorIndex}`,
        history,
        mask,
      );
    });
    this.inboundNodes.push(
      new Node(
        this,
        inputs,
        outputs,
        {
          initialState: stateSyms.length > 0 ? stateSyms : null,
          initialStateAsList: Array.isArray(options.initialState),
          mask: explicitMask,
          training: options.training,
          layerOptions: this.givenLayerOptions(options),
        },
        single,
        outputs.length === 1,
      ),
    );
    return outputs.length === 1 ? outputs[0]! : outputs;
  }

  /** The entries of `options` named in `callOptionNames` that were given (not undefined), in the order given. */
  private givenLayerOptions(options: CallOptions): Record<string, unknown> {
    const given = Object.entries(options).filter(
      ([key, value]) => value !== undefined && this.callOptionNames.includes(key),
    );
    return Object.fromEntries(given);
  }

  /**
   * Keras's build wrapper records the shapes of every tensor argument of the first call; with initial states
   * that is two entries, and `build_config` becomes `shapes_dict` (a list of states gives a list of shapes).
   */
  private recordBuildShapes(
    inputShape: Shape | Shape[],
    states: readonly (Tensor | SymbolicTensor)[],
    given: CallOptions['initialState'],
  ): void {
    // Anything else is refused with a typed error by the call itself.
    if (states.length === 0 || !states.every((s) => s instanceof Tensor || s instanceof SymbolicTensor)) return;
    const stateShapes = states.map((s) => [...s.shape]);
    this.buildShapesDict = {
      [`${this.callInputName}_shape`]: structuredClone(inputShape),
      initial_state_shape: Array.isArray(given) ? stateShapes : stateShapes[0],
    };
  }

  /** The dtype of symbolic outputs: the layer's compute dtype. */
  protected outputDType(_inputs: readonly SymbolicTensor[]): DType {
    return this.dtype;
  }

  /**
   * A deep copy (the page's `__deepcopy__`): a new layer of the same class from `getConfig()`, built like this
   * one, with copies of the weights. Inbound nodes (graph connections) are not copied.
   */
  clone(): this {
    const ctor = this.constructor as unknown as { fromConfig?: (config: Record<string, unknown>) => Layer };
    if (typeof ctor.fromConfig !== 'function') {
      throw new AttributeError(`${this.className} '${this.name}'.clone: the layer class has no fromConfig`);
    }
    const copy = ctor.fromConfig(this.getConfig()) as this;
    if (this.built && this.buildInputShape !== null) {
      copy.build(this.buildInputShape);
      copy.setWeights(this.getWeights());
    }
    return copy;
  }
}

/**
 * The explicit mask of a symbolic call: one symbolic tensor, a list of one symbolic tensor or null per input
 * (as Keras writes `mask` for a call on a list), or null when none is given.
 */
function symbolicMask(
  mask: CallOptions['mask'],
  inputCount: number,
  context: string,
): SymbolicTensor | readonly (SymbolicTensor | null)[] | null {
  if (mask instanceof SymbolicTensor) return mask;
  if (!Array.isArray(mask)) return null;
  const list = mask as readonly unknown[];
  if (list.length !== inputCount || !list.every((m) => m === null || m instanceof SymbolicTensor)) {
    throw new InvalidArgumentError({
      argument: 'mask',
      expected: `a list of ${inputCount} symbolic masks or nulls, one per input`,
      received: mask,
      context,
    });
  }
  return list as readonly (SymbolicTensor | null)[];
}
