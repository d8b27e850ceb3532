/**
 * What a layer tracks, the first of `Layer`'s three parts (tracking.ts → inbound-nodes.ts → layer.ts): its
 * identity (name, trainable, dtype), its weights with their regularizers and constraints (created in
 * `build`, read and assigned in Keras's order), and the losses and updates recorded by calls.
 */
import { InvalidArgumentError, NotBuiltError, ShapeError } from '../errors.js';
import { getConstraint, type Constraint } from '../constraints/index.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index.js';
import { getRegularizer, type Regularizer } from '../regularizers/index.js';
import { div } from '../ops/arithmetic.js';
import { uniqueLayerName } from '../serialization/naming.js';
import { checkShape, formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor, toTensorArgument, type TensorLike } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { parseLayerDType, type DTypeIdentifier, type LayerDType } from './dtype-policy.js';

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

/** The identity, weights, losses and updates of a layer; `Layer` (layer.ts) is the class to extend. */
export abstract class TrackingLayer {
  /** Keras's class name, used in configs and automatic names. */
  abstract readonly className: string;
  readonly name: string;
  /** Whether the layer's weights are updated by training. */
  trainable: boolean;
  /** The dtype of weights and computation. */
  readonly dtype: LayerDType;
  readonly activityRegularizer: Regularizer | null;
  built = false;
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
      throw new InvalidArgumentError({
        argument: 'name',
        expected: 'a non-empty string',
        received: args.name,
        context,
      });
    }
    this.name = args.name ?? uniqueLayerName(className ?? new.target.name);
    if (args.trainable !== undefined && typeof args.trainable !== 'boolean') {
      throw new InvalidArgumentError({
        argument: 'trainable',
        expected: 'a boolean',
        received: args.trainable,
        context,
      });
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
    const initializer = getInitializer(
      (options.initializer ?? 'glorot_uniform') as InitializerIdentifier,
      'initializer',
      context,
    );
    const regularizer = getRegularizer(
      (options.regularizer ?? null) as Parameters<typeof getRegularizer>[0],
      'regularizer',
      context,
    );
    const constraint = getConstraint(
      (options.constraint ?? null) as Parameters<typeof getConstraint>[0],
      'constraint',
      context,
    );
    const dtype = options.dtype ?? this.dtype;
    checkShape(options.shape, `${name} shape`, context);
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
      const t = toTensorArgument(w, `weights[${i}]`, context, this.dtype);
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
        throw new InvalidArgumentError({
          argument: 'losses',
          expected: 'tensors or functions returning one',
          received: loss,
          context: `${this.className} '${this.name}'.addLoss`,
        });
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
      return all
        .filter((l) => l.inputs === null)
        .map(evaluateLoss)
        .concat(this.weightRegularizationLosses());
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
        : Array.isArray(updates)
          ? [...updates]
          : [updates];
    const deps = inputs === null || inputs === undefined ? null : Array.isArray(inputs) ? [...inputs] : [inputs];
    for (const update of list) {
      if (typeof update === 'function') update();
      else if (Array.isArray(update) && update[0] instanceof Variable && update[1] instanceof Tensor)
        update[0].assign(update[1]);
      else {
        throw new InvalidArgumentError({
          argument: 'updates',
          expected: 'functions or [variable, value] pairs',
          received: update,
          context: `${this.className} '${this.name}'.addUpdate`,
        });
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
    if (inputs === null || inputs === undefined)
      return this.updateList.filter((u) => u.inputs === null).map((u) => u.update);
    const wanted = Array.isArray(inputs) ? inputs : [inputs];
    return this.updateList.filter((u) => u.inputs !== null && sameList(u.inputs, wanted)).map((u) => u.update);
  }

  /** Applies every weight's constraint (after an optimizer step, as Keras does). */
  applyConstraints(): void {
    for (const w of this.trackedWeights) {
      if (w.constraint !== null) w.variable.assign(w.constraint.call(w.variable));
    }
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

  /** Forgets the updates that depend on a call's inputs: they belong to the latest call, as its activity losses do. */
  protected startCallUpdates(): void {
    this.updateList = this.updateList.filter((u) => u.inputs === null);
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
