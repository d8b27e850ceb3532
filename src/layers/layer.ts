/**
 * `Layer`: the Keras layer contract — a name, weights created in `build(inputShape)`, `call` for the math and
 * `apply` around it (building on first use, checking input, activity regularization).
 */
import { NotBuiltError, InvalidArgumentError, ShapeError } from '../errors.js';
import type { Constraint } from '../constraints/index.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import { getRegularizer, serializeRegularizer } from '../regularizers/index.js';
import { div } from '../ops/arithmetic.js';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor, tensor as makeTensor, type TensorLike } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { parseLayerDType, serializeDTypePolicy, type DTypeIdentifier, type LayerDType } from './dtype-policy.js';
import { uniqueLayerName } from './naming.js';

export type Shape = (number | null)[];

export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  dtype?: DTypeIdentifier;
  activityRegularizer?: Parameters<typeof getRegularizer>[0];
}

export interface AddWeightOptions {
  shape: readonly number[];
  initializer: Initializer;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  trainable?: boolean;
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
  protected weightList: LayerWeight[] = [];
  /** Activity-regularization losses of the most recent call. */
  protected callLosses: Tensor[] = [];

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
  build(_inputShape: Shape): void {
    this.built = true;
  }

  /** Creates a weight (a `Variable` named `name`) and tracks it with its regularizer and constraint. */
  addWeight(name: string, options: AddWeightOptions): Variable {
    const value = options.initializer.call(options.shape, this.dtype);
    if (!shapesEqual(value.shape, options.shape)) {
      throw new ShapeError({
        argument: `${name} initializer result`,
        expected: `shape ${formatShape(options.shape)}`,
        received: formatShape(value.shape),
        context: `${this.className} '${this.name}'`,
      });
    }
    const variable = new Variable(value, { name, trainable: options.trainable ?? true, dtype: this.dtype });
    this.weightList.push({ variable, regularizer: options.regularizer ?? null, constraint: options.constraint ?? null });
    return variable;
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
    const weightLosses = this.trackedWeights
      .filter((w) => w.regularizer !== null)
      .map((w) => w.regularizer!.call(w.variable));
    return [...this.callLosses, ...weightLosses];
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
  protected recordActivityLoss(outputs: readonly Tensor[]): void {
    const regularizer = this.activityRegularizer;
    this.callLosses =
      regularizer === null
        ? []
        : outputs.map((o) => {
            const loss = regularizer.call(o);
            const batch = o.rank > 0 ? o.shape[0]! : 1;
            return batch > 0 ? div(loss, batch) : loss;
          });
  }

  protected requireBuilt(what: string): void {
    if (!this.built) throw new NotBuiltError(`${this.className} '${this.name}'.${what}: the layer is not built yet`);
  }
}
