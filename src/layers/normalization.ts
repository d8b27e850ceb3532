/**
 * Keras 3's normalization layers, both `(x − mean) / sqrt(variance + epsilon) · gamma + beta` with population
 * (biased) variance, both passing a mask on:
 * - `LayerNormalization`: statistics of each sample over `axis` (default the last); gamma and beta span those
 *   axes. `rmsScaling` instead divides by sqrt(variance + epsilon) and scales by gamma only (no mean, no beta),
 *   as Keras's code does.
 * - `BatchNormalization`: statistics over every axis but `axis` (default the last, the features). Training
 *   (`training: true` and `trainable`) normalizes with the batch's statistics (masked steps left out) and moves
 *   `moving_mean` / `moving_variance` toward them by `1 − momentum`; inference uses the moving statistics.
 *   Weights in Keras's order: gamma, beta (trainable), moving_mean, moving_variance (non-trainable).
 */
import { getConstraint, type Constraint } from '../constraints/index.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index.js';
import { noGrad } from '../autodiff/tape.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { mean, sum } from '../ops/reduce.js';
import { cast, reshape } from '../ops/shape-ops.js';
import { sqrt, square } from '../ops/unary.js';
import { getRegularizer, type Regularizer } from '../regularizers/index.js';
import { formatShape, normalizeAxis } from '../tensor/shape.js';
import { scalar, type Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { checkBoolean, checkNumber } from '../validation.js';
import { singleInput, singleMask } from './call-args.js';
import { Layer, type CallOptions, type LayerArgs, type Shape, type SingleOutputApply } from './layer.js';
import { argsFromConfig, translatorOf } from './translators.js';

type RegularizerIdentifier = Parameters<typeof getRegularizer>[0];
type ConstraintIdentifier = Parameters<typeof getConstraint>[0];

/** Keras's `backend.epsilon()`, which the masked batch statistics add to the weight sum. */
const BACKEND_EPSILON = 1e-7;

/** The options both layers share: the affine weights and epsilon. */
export interface NormalizationArgs extends LayerArgs {
  /** Added to the variance. Default 1e-3. */
  epsilon?: number;
  /** Add beta. Default true. */
  center?: boolean;
  /** Multiply by gamma. Default true. */
  scale?: boolean;
  /** Default `'zeros'`. */
  betaInitializer?: InitializerIdentifier;
  /** Default `'ones'`. */
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
  betaConstraint?: ConstraintIdentifier;
  gammaConstraint?: ConstraintIdentifier;
}

/** What the two layers share: the options of gamma and beta, their creation, and the shape checks. */
abstract class AffineNormalization extends Layer {
  declare apply: SingleOutputApply;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  protected constructor(args: NormalizationArgs, className: string) {
    const context = `${className} constructor`;
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({ argument: 'args', expected: 'an options object', received: args, context });
    super(args, className);
    this.supportsMasking = true;
    this.epsilon = checkNumber(args.epsilon, 1e-3, 'epsilon', { min: 0, minExclusive: true }, context);
    this.center = checkBoolean(args.center, true, 'center', context);
    this.scale = checkBoolean(args.scale, true, 'scale', context);
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros', 'betaInitializer', context);
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones', 'gammaInitializer', context);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, 'betaRegularizer', context);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, 'gammaRegularizer', context);
    this.betaConstraint = getConstraint(args.betaConstraint, 'betaConstraint', context);
    this.gammaConstraint = getConstraint(args.gammaConstraint, 'gammaConstraint', context);
  }

  /** Creates gamma (when `withGamma`) then beta (when `withBeta`), Keras's order, of `shape`. */
  protected buildAffine(shape: number[], withGamma: boolean, withBeta: boolean): void {
    this.weightList = [];
    this.gamma = withGamma
      ? this.addWeight('gamma', {
          shape,
          initializer: this.gammaInitializer,
          regularizer: this.gammaRegularizer,
          constraint: this.gammaConstraint,
        })
      : null;
    this.beta = withBeta
      ? this.addWeight('beta', {
          shape,
          initializer: this.betaInitializer,
          regularizer: this.betaRegularizer,
          constraint: this.betaConstraint,
        })
      : null;
  }

  /** The sizes of `axes` in `shape`; each must be known (the weights span them). */
  protected axisSizes(shape: Shape, axes: readonly number[], context: string): number[] {
    return axes.map((a) => {
      const d = shape[a];
      if (typeof d !== 'number' || !Number.isInteger(d) || d <= 0) {
        throw new ShapeError({
          argument: 'inputShape',
          expected: `a known positive size on axis ${a} (the axis normalized over, which the weights span)`,
          received: formatShape(shape),
          context,
        });
      }
      return d;
    });
  }

  /** The input in the layer's dtype. */
  protected floatInput(inputs: Tensor | Tensor[], context: string): Tensor {
    const x = singleInput(inputs, context);
    return x.dtype === this.dtype ? x : cast(x, this.dtype);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }
}

/** `v` [sizes of axes] reshaped to broadcast over a tensor of rank `rank` (1 on the other axes). */
function broadcastable(v: Tensor, rank: number, axes: readonly number[]): Tensor {
  if (axes.length === 1 && axes[0] === rank - 1) return v;
  return reshape(
    v,
    Array.from({ length: rank }, (_, i) => (axes.includes(i) ? v.shape[axes.indexOf(i)]! : 1)),
  );
}

export interface LayerNormalizationArgs extends NormalizationArgs {
  /** The axis or axes to normalize over (negative counts from the end). Default -1. */
  axis?: number | readonly number[];
  /** RMS scaling: x / sqrt(variance + epsilon) · gamma; center and scale are then ignored. Default false. */
  rmsScaling?: boolean;
}

export class LayerNormalization extends AffineNormalization {
  readonly className: string = 'LayerNormalization';
  /** As given: a number until built, then a sorted list (Keras's `build` wraps a single axis in a list). */
  axis: number | readonly number[];
  readonly rmsScaling: boolean;
  /** The non-negative axes, set by `build`. */
  private axes: number[] = [];

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, 'LayerNormalization');
    const context = 'LayerNormalization constructor';
    const axis = args.axis ?? -1;
    const isInt = (a: unknown): boolean => typeof a === 'number' && Number.isInteger(a);
    if (!(isInt(axis) || (Array.isArray(axis) && axis.length > 0 && axis.every(isInt)))) {
      throw new InvalidArgumentError({
        argument: 'axis',
        expected: 'an integer or a non-empty list of integers',
        received: axis,
        context,
      });
    }
    this.axis = typeof axis === 'number' ? axis : Object.freeze([...axis]);
    this.rmsScaling = checkBoolean(args.rmsScaling, false, 'rmsScaling', context);
  }

  override build(inputShape: Shape): void {
    const context = `LayerNormalization '${this.name}'.build`;
    // Keras's build sorts the axes as given (so [-1, 1] stays [-1, 1]); the weights span them in that order.
    const list = typeof this.axis === 'number' ? [this.axis] : [...this.axis].sort((a, b) => a - b);
    const axes = list.map((a) => normalizeAxis(a, inputShape.length, context));
    this.buildAffine(
      this.axisSizes(inputShape, axes, context),
      this.scale || this.rmsScaling,
      this.center && !this.rmsScaling,
    );
    this.axes = axes;
    this.axis = Object.freeze(list);
    this.buildInputShape = [...inputShape];
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const x = this.floatInput(inputs, `LayerNormalization '${this.name}'.apply`);
    const eps = scalar(this.epsilon, x.dtype);
    const m = mean(x, this.axes, true);
    const variance = mean(square(sub(x, m)), this.axes, true);
    const inv = div(1, sqrt(add(variance, eps)));
    const gamma = this.gamma === null ? null : reshape(this.gamma, this.weightBroadcastShape(x.shape));
    if (this.rmsScaling) return mul(mul(x, inv), gamma!);
    let y = mul(sub(x, m), inv);
    if (gamma !== null) y = mul(y, gamma);
    if (this.beta !== null) y = add(y, reshape(this.beta, this.weightBroadcastShape(x.shape)));
    return y;
  }

  /**
   * Keras's `ops.layer_normalization` reshapes gamma and beta (row-major) to the input's sizes on the
   * normalized axes, 1 elsewhere: the weights' layout follows the axes' positions, whatever their listed order.
   */
  private weightBroadcastShape(shape: readonly number[]): number[] {
    return shape.map((size, i) => (this.axes.includes(i) ? size : 1));
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(LayerNormalization, 'LayerNormalization.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): LayerNormalization {
    return new LayerNormalization(argsFromConfig(LayerNormalization, config, 'LayerNormalization.fromConfig'));
  }
}

export interface BatchNormalizationArgs extends NormalizationArgs {
  /** The features axis, which keeps its own statistics (negative counts from the end). Default -1. */
  axis?: number;
  /** How much of the moving statistics each training batch keeps. Default 0.99. */
  momentum?: number;
  /** Default `'zeros'`. */
  movingMeanInitializer?: InitializerIdentifier;
  /** Default `'ones'`. */
  movingVarianceInitializer?: InitializerIdentifier;
  /** Keras's cross-replica statistics (TensorFlow only); a single process has one replica. Default false. */
  synchronized?: boolean;
}

export class BatchNormalization extends AffineNormalization {
  readonly className: string = 'BatchNormalization';
  override readonly callTakesMask: boolean = true;
  readonly axis: number;
  readonly momentum: number;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly synchronized: boolean;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  /** Every axis but the features axis, set by `build`. */
  private reductionAxes: number[] = [];

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'BatchNormalization');
    const context = 'BatchNormalization constructor';
    this.axis = checkNumber(args.axis, -1, 'axis', { integer: true }, context);
    this.momentum = checkNumber(args.momentum, 0.99, 'momentum', { min: 0, max: 1 }, context);
    this.movingMeanInitializer = getInitializer(
      args.movingMeanInitializer ?? 'zeros',
      'movingMeanInitializer',
      context,
    );
    this.movingVarianceInitializer = getInitializer(
      args.movingVarianceInitializer ?? 'ones',
      'movingVarianceInitializer',
      context,
    );
    this.synchronized = checkBoolean(args.synchronized, false, 'synchronized', context);
  }

  override build(inputShape: Shape): void {
    const context = `BatchNormalization '${this.name}'.build`;
    const axis = normalizeAxis(this.axis, inputShape.length, context);
    const shape = this.axisSizes(inputShape, [axis], context);
    this.buildAffine(shape, this.scale, this.center);
    this.movingMean = this.addWeight('moving_mean', {
      shape,
      initializer: this.movingMeanInitializer,
      trainable: false,
    });
    this.movingVariance = this.addWeight('moving_variance', {
      shape,
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
    this.reductionAxes = [...inputShape.keys()].filter((a) => a !== axis);
    this.buildInputShape = [...inputShape];
    this.built = true;
  }

  /** The rank and features size the layer was built for. */
  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    const built = this.buildInputShape as Shape | null;
    const shape = shapes[0]!;
    const axis = built === null ? null : normalizeAxis(this.axis, built.length, context);
    if (shapes.length !== 1 || (built !== null && (shape.length !== built.length || shape[axis!] !== built[axis!]))) {
      throw new ShapeError({
        argument: 'inputs',
        expected:
          built === null ? 'one tensor' : `one tensor of rank ${built.length} with ${built[axis!]} on axis ${axis}`,
        received: shapes.map((s) => formatShape(s)).join(', '),
        context,
      });
    }
  }

  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor {
    const context = `BatchNormalization '${this.name}'.apply`;
    const x = this.floatInput(inputs, context);
    const rank = x.rank;
    const featureAxis = [...Array(rank).keys()].find((a) => !this.reductionAxes.includes(a))!;
    const axes = [featureAxis];
    let m: Tensor;
    let variance: Tensor;
    if (options.training === true && this.trainable) {
      [m, variance] = this.batchMoments(x, singleMask(options.mask, context), context);
      const keep = this.momentum;
      noGrad(() => {
        this.movingMean!.assign(add(mul(this.movingMean!, keep), mul(m, 1 - keep)));
        this.movingVariance!.assign(add(mul(this.movingVariance!, keep), mul(variance, 1 - keep)));
      });
    } else {
      m = this.movingMean!;
      variance = this.movingVariance!;
    }
    // Keras's ops.batch_normalization: (x − mean) · gamma / sqrt(variance + epsilon) + beta.
    let inv = div(1, sqrt(add(variance, scalar(this.epsilon, x.dtype))));
    if (this.gamma !== null) inv = mul(inv, this.gamma);
    let y = mul(sub(x, broadcastable(m, rank, axes)), broadcastable(inv, rank, axes));
    if (this.beta !== null) y = add(y, broadcastable(this.beta, rank, axes));
    return y;
  }

  /**
   * The batch's mean and variance per feature [F]. With a mask ([B, T] for [B, T, F]), masked positions have
   * weight 0 and the sums are divided by (Σ weights + 1e-7), as Keras's `_moments`.
   */
  private batchMoments(x: Tensor, mask: Tensor | null, context: string): [Tensor, Tensor] {
    const featureShape = [this.movingMean!.shape[0]!];
    if (mask === null) {
      const m = mean(x, this.reductionAxes, true);
      const v = mean(square(sub(x, m)), this.reductionAxes, true);
      return [reshape(m, featureShape), reshape(v, featureShape)];
    }
    if (mask.rank !== x.rank - 1 || mask.shape.some((d, i) => d !== x.shape[i])) {
      throw new ShapeError({
        argument: 'mask',
        expected: `a mask of shape ${formatShape(x.shape.slice(0, -1))} (the inputs without their last axis)`,
        received: formatShape(mask.shape),
        context,
      });
    }
    const w = reshape(cast(mask, x.dtype), [...mask.shape, 1]);
    const total = add(sum(w, this.reductionAxes, true), BACKEND_EPSILON);
    const m = div(sum(mul(w, x), this.reductionAxes, true), total);
    const v = div(sum(mul(w, square(sub(mul(w, x), m))), this.reductionAxes, true), total);
    return [reshape(m, featureShape), reshape(v, featureShape)];
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(BatchNormalization, 'BatchNormalization.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): BatchNormalization {
    return new BatchNormalization(argsFromConfig(BatchNormalization, config, 'BatchNormalization.fromConfig'));
  }
}
