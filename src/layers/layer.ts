/**
 * `Layer`: the Keras layer contract — a name, weights created in `build(inputShape)`, `call` for the math and
 * `apply` around it (building on first use, checking input, activity regularization).
 */
import { AttributeError, InvalidArgumentError, KerasGruError, NotBuiltError, ShapeError } from '../errors.js';
import { getConstraint, type Constraint } from '../constraints/index.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import { getRegularizer, serializeRegularizer } from '../regularizers/index.js';
import { attachMask, maskOf } from './mask.js';
import { Node } from './node.js';
import { SymbolicTensor } from './symbolic-tensor.js';
import { div } from '../ops/arithmetic.js';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor, tensor as makeTensor, type TensorLike } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import type { DType } from '../tensor/dtype.js';
import { parseLayerDType, serializeDTypePolicy, type DTypeIdentifier, type LayerDType } from './dtype-policy.js';
import { uniqueLayerName } from '../serialization/naming.js';

export type Shape = (number | null)[];

export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  dtype?: DTypeIdentifier;
  activityRegularizer?: Parameters<typeof getRegularizer>[0];
}

export interface AddWeightOptions {
  shape: readonly number[];
  /** An initializer or its identifier; default `'glorot_uniform'` (Keras's default for float weights). */
  initializer?: Initializer | InitializerIdentifier;
  regularizer?: Regularizer | Parameters<typeof getRegularizer>[0] | null;
  constraint?: Constraint | Parameters<typeof getConstraint>[0] | null;
  trainable?: boolean;
  /** Default: the layer's dtype. */
  dtype?: 'float32' | 'float64';
}

/** The keyword arguments of a call (Keras's `call(inputs, mask=None, training=None, initial_state=None)`). */
export interface CallOptions {
  /** Training mode (dropout applies). Default false. */
  training?: boolean;
  /** The input mask, `[B,T]` (1 = keep). Default: the mask attached to the input by the previous layer. */
  mask?: Tensor | SymbolicTensor | null | (Tensor | null)[];
  /** Initial states of a recurrent layer: `[h0]` (or `h0`), each `[B,U]`; symbolic in a functional graph. */
  initialState?: Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[] | null;
}

/** What `apply` accepts: a tensor (or nested array), a symbolic tensor, or a list of them. */
export type LayerInput = Tensor | TensorLike | SymbolicTensor | readonly (Tensor | SymbolicTensor)[];

/**
 * The `apply` of a layer with one output: a `Tensor` for real inputs, a `SymbolicTensor` for symbolic ones.
 * Single-output layers narrow `apply` to it (`declare apply: SingleOutputApply`), so no cast is needed.
 */
export interface SingleOutputApply {
  (inputs: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor;
  (inputs: LayerInput, options?: CallOptions): Tensor;
}

/** A loss added with `addLoss`, with the inputs it depends on (null: unconditional). */
interface TrackedLoss {
  loss: Tensor | (() => Tensor);
  inputs: readonly unknown[] | null;
}

/** A state update recorded with `addUpdate` (run at once: keras-gru is eager). */
export type LayerUpdate = (() => void) | readonly [Variable, Tensor];

interface TrackedUpdate {
  update: LayerUpdate;
  inputs: readonly unknown[] | null;
}

/** A weight with what Keras attaches to it: its regularizer and its constraint. */
export interface LayerWeight {
  variable: Variable;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

export abstract class Layer {
  /** Keras's class name, used in configs and automatic names. */
  abstract readonly className: string;
  readonly name: string;
  /** Whether the layer's weights are updated by training. */
  trainable: boolean;
  /** The dtype of weights and computation. */
  readonly dtype: LayerDType;
  readonly activityRegularizer: Regularizer | null;
  built = false;
  /** Whether the layer passes masks on (Keras's `supports_masking`); see `computeMask`. */
  supportsMasking = false;
  /** The calls of this layer on symbolic tensors, in order (Keras's `_inbound_nodes`). */
  readonly inboundNodes: Node[] = [];
  /** The input shape `build` was called with. */
  buildInputShape: Shape | Shape[] | null = null;
  protected weightList: LayerWeight[] = [];
  /** Activity-regularization losses of the most recent call, with that call's inputs. */
  protected callLosses: TrackedLoss[] = [];
  private readonly addedLosses: TrackedLoss[] = [];
  private updateList: TrackedUpdate[] = [];

  constructor(args: LayerArgs = {}, className?: string) {
    const context = className ? `${className} constructor` : 'Layer constructor';
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0)) {
      throw new InvalidArgumentError({ argument: 'name', expected: 'a non-empty string', received: args.name, context });
    }
    this.name = args.name ?? uniqueLayerName(className ?? new.target.name);
    if (args.trainable !== undefined && typeof args.trainable !== 'boolean') {
      throw new InvalidArgumentError({ argument: 'trainable', expected: 'a boolean', received: args.trainable, context });
    }
    this.trainable = args.trainable ?? true;
    this.dtype = parseLayerDType(args.dtype, context);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, 'activityRegularizer', context);
  }

  /** Creates the weights for inputs of `inputShape` (batch dimension first, possibly null). */
  build(inputShape: Shape | Shape[]): void {
    this.buildInputShape = inputShape;
    this.built = true;
  }

  /** Creates a weight (a `Variable` named `name`) and tracks it with its regularizer and constraint. */
  addWeight(name: string, options: AddWeightOptions): Variable {
    const context = `${this.className} '${this.name}'.addWeight`;
    const initializer = getInitializer((options.initializer ?? 'glorot_uniform') as InitializerIdentifier, 'initializer', context);
    const regularizer = getRegularizer((options.regularizer ?? null) as Parameters<typeof getRegularizer>[0], 'regularizer', context);
    const constraint = getConstraint((options.constraint ?? null) as Parameters<typeof getConstraint>[0], 'constraint', context);
    const dtype = options.dtype ?? this.dtype;
    const value = initializer.call(options.shape, dtype);
    if (!shapesEqual(value.shape, options.shape)) {
      throw new ShapeError({
        argument: `${name} initializer result`,
        expected: `shape ${formatShape(options.shape)}`,
        received: formatShape(value.shape),
        context: `${this.className} '${this.name}'`,
      });
    }
    const variable = new Variable(value, { name, trainable: options.trainable ?? true, dtype });
    this.weightList.push({ variable, regularizer, constraint });
    return variable;
  }

  /** The reference page's `add_variable`: the same as `addWeight`. */
  addVariable(name: string, options: AddWeightOptions): Variable {
    return this.addWeight(name, options);
  }

  /** Weights with their regularizers and constraints (nested layers included), in Keras order. */
  get trackedWeights(): LayerWeight[] {
    return this.weightList;
  }

  /** All weights: trainable first, then non-trainable (Keras order). */
  get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    return this.trackedWeights.filter((w) => w.variable.trainable).map((w) => w.variable);
  }

  get nonTrainableWeights(): Variable[] {
    const all = this.trackedWeights.map((w) => w.variable);
    return this.trainable ? all.filter((v) => !v.trainable) : all;
  }

  /** The current weight values, copied, in the order of `weights`. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.read());
  }

  /**
   * Sets the weight values from tensors (or nested arrays) in the order of `getWeights()`. The whole list is
   * checked before anything is assigned, so a bad list changes nothing.
   */
  setWeights(weights: readonly (Tensor | TensorLike)[]): void {
    const context = `${this.className} '${this.name}'.setWeights`;
    const targets = this.weights;
    if (!Array.isArray(weights) || weights.length !== targets.length) {
      throw new InvalidArgumentError({
        argument: 'weights',
        expected: `a list of ${targets.length} weights (${targets.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')})`,
        received: Array.isArray(weights) ? `a list of ${weights.length}` : weights,
        context,
      });
    }
    const values = weights.map((w, i) => {
      const t = w instanceof Tensor ? w : makeTensor(w, undefined, this.dtype);
      const target = targets[i]!;
      const sameShape = shapesEqual(t.shape, target.shape);
      if (!sameShape) {
        throw new ShapeError({
          argument: `weights[${i}] (${target.name})`,
          expected: `shape ${formatShape(target.shape)}`,
          received: formatShape(t.shape),
          context,
        });
      }
      return t;
    });
    values.forEach((t, i) => targets[i]!.assign(t));
  }

  /** The number of scalars in all weights. Throws `NotBuiltError` before the layer is built. */
  countParams(): number {
    if (!this.built) {
      throw new NotBuiltError(
        `${this.className} '${this.name}'.countParams: the layer is not built yet, so its weights do not exist; ` +
          'call build(inputShape) or call the layer on an input first',
      );
    }
    return this.weights.reduce((acc, v) => acc + sizeOf(v.shape), 0);
  }

  /**
   * Losses, in Keras 3's order: those added during the most recent call (activity regularization), then one
   * per regularized weight, in weight order. Weight losses are computed from the current weight values.
   */
  get losses(): Tensor[] {
    return [...this.callLosses, ...this.addedLosses].map(evaluateLoss).concat(this.weightRegularizationLosses());
  }

  /** One loss per regularized weight, computed from the current values. */
  protected weightRegularizationLosses(): Tensor[] {
    return this.trackedWeights.filter((w) => w.regularizer !== null).map((w) => w.regularizer!.call(w.variable));
  }

  /**
   * Adds loss tensor(s) (or zero-argument functions returning one, evaluated when `losses` is read). `inputs`
   * says which call inputs they depend on (see `getLossesFor`); null or omitted: unconditional.
   */
  addLoss(losses: Tensor | (() => Tensor) | readonly (Tensor | (() => Tensor))[], inputs: unknown = null): void {
    const list = Array.isArray(losses) ? losses : [losses];
    const deps = inputs === null || inputs === undefined ? null : Array.isArray(inputs) ? [...inputs] : [inputs];
    for (const loss of list) {
      if (!(loss instanceof Tensor) && typeof loss !== 'function') {
        throw new InvalidArgumentError({ argument: 'losses', expected: 'tensors or functions returning one', received: loss, context: `${this.className} '${this.name}'.addLoss` });
      }
      this.addedLosses.push({ loss: loss as Tensor | (() => Tensor), inputs: deps });
    }
  }

  /**
   * The losses that depend on `inputs` (the same tensor(s) a call received); `null` gives the unconditional ones
   * (weight regularization and losses added without inputs).
   */
  getLossesFor(inputs: unknown): Tensor[] {
    const all = [...this.callLosses, ...this.addedLosses];
    if (inputs === null || inputs === undefined) {
      return all.filter((l) => l.inputs === null).map(evaluateLoss).concat(this.weightRegularizationLosses());
    }
    const wanted = Array.isArray(inputs) ? inputs : [inputs];
    return all.filter((l) => l.inputs !== null && sameList(l.inputs, wanted)).map(evaluateLoss);
  }

  /**
   * Records state updates. keras-gru runs eagerly, so an update runs at once (a function is called, a
   * `[variable, value]` pair assigned); it is also kept in `updates`, with the inputs it depends on.
   */
  addUpdate(updates: LayerUpdate | readonly LayerUpdate[], inputs: unknown = null): void {
    const list: unknown[] =
      typeof updates === 'function' || (Array.isArray(updates) && updates[0] instanceof Variable)
        ? [updates]
        : Array.isArray(updates) ? [...updates] : [updates];
    const deps = inputs === null || inputs === undefined ? null : Array.isArray(inputs) ? [...inputs] : [inputs];
    for (const update of list) {
      if (typeof update === 'function') update();
      else if (Array.isArray(update) && update[0] instanceof Variable && update[1] instanceof Tensor) update[0].assign(update[1]);
      else {
        throw new InvalidArgumentError({ argument: 'updates', expected: 'functions or [variable, value] pairs', received: update, context: `${this.className} '${this.name}'.addUpdate` });
      }
      this.updateList.push({ update: update as LayerUpdate, inputs: deps });
    }
  }

  /** The updates recorded by `addUpdate` (a stateful RNN records its state assignment at each call). */
  get updates(): LayerUpdate[] {
    return this.updateList.map((u) => u.update);
  }

  /** The updates that depend on `inputs`; `null` gives the unconditional ones. */
  getUpdatesFor(inputs: unknown): LayerUpdate[] {
    if (inputs === null || inputs === undefined) return this.updateList.filter((u) => u.inputs === null).map((u) => u.update);
    const wanted = Array.isArray(inputs) ? inputs : [inputs];
    return this.updateList.filter((u) => u.inputs !== null && sameList(u.inputs, wanted)).map((u) => u.update);
  }

  /** Applies every weight's constraint (after an optimizer step, as Keras does). */
  applyConstraints(): void {
    for (const w of this.trackedWeights) {
      if (w.constraint !== null) w.variable.assign(w.constraint.call(w.variable));
    }
  }

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

  /**
   * Records the activity-regularization loss of each output (replacing the previous call's). As Keras 3, the
   * loss of an output with a batch axis is divided by the batch size.
   */
  protected recordActivityLoss(outputs: readonly Tensor[], inputs: readonly unknown[] | null = null): void {
    const regularizer = this.activityRegularizer;
    this.callLosses =
      regularizer === null
        ? []
        : outputs.map((o) => {
            const loss = regularizer.call(o);
            const batch = o.rank > 0 ? o.shape[0]! : 1;
            return { loss: batch > 0 ? div(loss, batch) : loss, inputs };
          });
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
      throw new InvalidArgumentError({ argument: 'options', expected: 'an options object { mask, training, initialState }', received: options, context });
    }
    const single = !Array.isArray(inputs) || (inputs.length > 0 && !(inputs[0] instanceof Tensor) && !(inputs[0] instanceof SymbolicTensor));
    const list: (Tensor | SymbolicTensor)[] = single
      ? [inputs instanceof Tensor || inputs instanceof SymbolicTensor ? inputs : makeTensor(inputs as TensorLike)]
      : [...(inputs as (Tensor | SymbolicTensor)[])];
    if (list.length === 0) {
      throw new InvalidArgumentError({ argument: 'inputs', expected: 'a tensor or a non-empty list of tensors', received: inputs, context });
    }
    const states = options.initialState === undefined || options.initialState === null
      ? []
      : Array.isArray(options.initialState) ? [...options.initialState] : [options.initialState as Tensor | SymbolicTensor];
    const symbolic = [...list, ...states, options.mask].some((t) => t instanceof SymbolicTensor);
    this.checkInputShapes(list.map((t) => t.shape), context);
    if (symbolic) return this.applySymbolic(list as SymbolicTensor[], single, states, options, context);
    const tensors = list as Tensor[];
    if (!this.built) this.build(single ? [...tensors[0]!.shape] : tensors.map((t) => [...t.shape]));
    const mask = options.mask !== undefined ? (options.mask as Tensor | null | (Tensor | null)[]) : single ? maskOf(tensors[0]!) : tensors.map(maskOf);
    const callInputs = single ? tensors[0]! : tensors;
    // Updates that depend on a call's inputs belong to the latest call, as its activity losses do.
    this.updateList = this.updateList.filter((u) => u.inputs === null);
    const outputs = this.call(callInputs, { ...options, mask, initialState: states.length > 0 ? (states as Tensor[]) : options.initialState as null | undefined });
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
        throw new InvalidArgumentError({ argument: `inputs[${i}]`, expected: 'symbolic tensors only (do not mix them with real tensors)', received: t, context });
      }
    });
    const stateSyms = states.map((s, i) => {
      if (!(s instanceof SymbolicTensor)) {
        throw new InvalidArgumentError({ argument: `initialState[${i}]`, expected: 'a symbolic tensor when the inputs are symbolic', received: s, context });
      }
      return s;
    });
    const shapes = inputs.map((t) => [...t.shape]);
    if (!this.built) this.build(single ? shapes[0]! : shapes);
    const outShape = this.computeOutputShape(single ? shapes[0]! : shapes);
    const outShapes: Shape[] = outShape.length > 0 && Array.isArray(outShape[0]) ? (outShape as Shape[]) : [outShape as Shape];
    const explicitMask = options.mask instanceof SymbolicTensor ? options.mask : null;
    const hasMask = explicitMask !== null ? [true, ...inputs.slice(1).map((t) => t.mask !== null)] : inputs.map((t) => t.mask !== null);
    const nodeIndex = this.inboundNodes.length;
    const outDType: DType = this.outputDType(inputs);
    const outputs = outShapes.map((shape, tensorIndex) => {
      const history = { layer: this, nodeIndex, tensorIndex };
      const masked = tensorIndex === 0 && this.supportsMasking && this.producesMask(hasMask);
      const mask = masked ? new SymbolicTensor(shape.slice(0, -1), 'bool', `${this.name}_mask`, history) : null;
      return new SymbolicTensor(shape, outDType, outShapes.length === 1 ? this.name : `${this.name}_${tensorIndex}`, history, mask);
    });
    this.inboundNodes.push(
      new Node(this, inputs, outputs, { initialState: stateSyms.length > 0 ? stateSyms : null, mask: explicitMask, training: options.training }, single, outputs.length === 1),
    );
    return outputs.length === 1 ? outputs[0]! : outputs;
  }

  /** The dtype of symbolic outputs: the layer's compute dtype. */
  protected outputDType(_inputs: readonly SymbolicTensor[]): DType {
    return this.dtype;
  }

  // ---- the reference page's graph accessors ----------------------------------------------------------

  private nodeAt(nodeIndex: number, what: string): Node {
    if (this.inboundNodes.length === 0) {
      throw new AttributeError(`${this.className} '${this.name}'.${what}: the layer has no inbound nodes (it was never called on symbolic tensors)`);
    }
    if (!Number.isInteger(nodeIndex) || nodeIndex < 0 || nodeIndex >= this.inboundNodes.length) {
      throw new InvalidArgumentError({
        argument: 'nodeIndex',
        expected: `an integer in [0, ${this.inboundNodes.length - 1}] (the layer has ${this.inboundNodes.length} inbound node${this.inboundNodes.length === 1 ? '' : 's'})`,
        received: nodeIndex,
        context: `${this.className} '${this.name}'.${what}`,
      });
    }
    return this.inboundNodes[nodeIndex]!;
  }

  private singleNode(what: string): Node {
    if (this.inboundNodes.length > 1) {
      throw new AttributeError(
        `${this.className} '${this.name}'.${what}: the layer has ${this.inboundNodes.length} inbound nodes (it is connected to more than one incoming layer); use the ${what === 'input' || what === 'output' ? `get${what[0]!.toUpperCase()}${what.slice(1)}At(nodeIndex)` : 'get...At(nodeIndex)'} form`,
      );
    }
    return this.nodeAt(0, what);
  }

  /** The input tensor(s) of the layer's only call. AttributeError with several or no inbound nodes. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return unwrap(this.singleNode('input').inputs, this.singleNode('input').singleInput);
  }

  /** The output tensor(s) of the layer's only call. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    return unwrap(this.singleNode('output').outputs, this.singleNode('output').singleOutput);
  }

  /** The input mask(s) of the layer's only call (null where none). */
  get inputMask(): SymbolicTensor | null | (SymbolicTensor | null)[] {
    const node = this.singleNode('inputMask');
    return unwrap(node.inputMasks, node.singleInput);
  }

  /** The output mask(s) of the layer's only call. */
  get outputMask(): SymbolicTensor | null | (SymbolicTensor | null)[] {
    const node = this.singleNode('outputMask');
    return unwrap(node.outputMasks, node.singleOutput);
  }

  /** The input shape(s): of the only call, or shared by all calls. AttributeError when undefined. */
  get inputShape(): Shape | Shape[] {
    return this.sharedShape('inputShape', (n) => n.inputShapes, (n) => n.singleInput);
  }

  /** The output shape(s): of the only call, or shared by all calls. */
  get outputShape(): Shape | Shape[] {
    return this.sharedShape('outputShape', (n) => n.outputShapes, (n) => n.singleOutput);
  }

  private sharedShape(what: string, get: (n: Node) => Shape[], single: (n: Node) => boolean): Shape | Shape[] {
    if (this.inboundNodes.length === 0) {
      throw new AttributeError(`${this.className} '${this.name}'.${what}: the layer has no defined ${what} (it was never called on symbolic tensors)`);
    }
    const first = JSON.stringify(get(this.inboundNodes[0]!));
    if (this.inboundNodes.some((n) => JSON.stringify(get(n)) !== first)) {
      throw new AttributeError(`${this.className} '${this.name}'.${what}: the layer has several inbound nodes with different shapes; use get${what[0]!.toUpperCase()}${what.slice(1)}At(nodeIndex)`);
    }
    return unwrap(get(this.inboundNodes[0]!), single(this.inboundNodes[0]!));
  }

  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex, 'getInputAt');
    return unwrap(node.inputs, node.singleInput);
  }

  getOutputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex, 'getOutputAt');
    return unwrap(node.outputs, node.singleOutput);
  }

  getInputShapeAt(nodeIndex: number): Shape | Shape[] {
    const node = this.nodeAt(nodeIndex, 'getInputShapeAt');
    return unwrap(node.inputShapes, node.singleInput);
  }

  getOutputShapeAt(nodeIndex: number): Shape | Shape[] {
    const node = this.nodeAt(nodeIndex, 'getOutputShapeAt');
    return unwrap(node.outputShapes, node.singleOutput);
  }

  getInputMaskAt(nodeIndex: number): SymbolicTensor | null | (SymbolicTensor | null)[] {
    const node = this.nodeAt(nodeIndex, 'getInputMaskAt');
    return unwrap(node.inputMasks, node.singleInput);
  }

  getOutputMaskAt(nodeIndex: number): SymbolicTensor | null | (SymbolicTensor | null)[] {
    const node = this.nodeAt(nodeIndex, 'getOutputMaskAt');
    return unwrap(node.outputMasks, node.singleOutput);
  }

  /** Keras's `variables`: all weights (as `weights`). */
  get variables(): Variable[] {
    return this.weights;
  }

  get trainableVariables(): Variable[] {
    return this.trainableWeights;
  }

  get nonTrainableVariables(): Variable[] {
    return this.nonTrainableWeights;
  }

  /**
   * TF 1.x's `graph` (the graph holding the layer's ops). keras-gru runs eagerly and has no TF graph; the
   * nearest honest meaning is the layer's own record of symbolic calls, its inbound nodes. Empty when the layer
   * was only called on real tensors.
   */
  get graph(): readonly Node[] {
    return this.inboundNodes;
  }

  /** TF 1.x's `scope_name`: the prefix of the layer's variable names, which is the layer's name. */
  get scopeName(): string {
    return this.name;
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

  protected requireBuilt(what: string): void {
    if (!this.built) throw new NotBuiltError(`${this.className} '${this.name}'.${what}: the layer is not built yet`);
  }
}

function evaluateLoss(l: TrackedLoss): Tensor {
  return typeof l.loss === 'function' ? l.loss() : l.loss;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function unwrap<T>(list: readonly T[], single: boolean): T | T[] {
  return single && list.length === 1 ? list[0]! : [...list];
}
