/**
 * The loss contract and what Keras 3's `Loss.__call__` does around every loss function: convert both inputs to
 * the loss's float dtype, line up their ranks (`squeeze_or_expand_to_same_rank`), compute per-sample values,
 * fold a mask and sample weights into one weight, and reduce (default `sum_over_batch_size`: the sum divided
 * by the number of values, i.e. the mean).
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { div, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { cast, reshape } from '../ops/shape-ops.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Keras's reductions. `none` returns the per-sample values unreduced. */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none';

export const REDUCTIONS: readonly Reduction[] = [
  'sum_over_batch_size',
  'sum',
  'mean',
  'mean_with_sample_weight',
  'none',
];

export interface Loss {
  readonly name: string;
  /**
   * The reduced loss (a scalar unless the reduction is `none`), differentiable with respect to `yPred`.
   * `sampleWeight` scales each sample's value (broadcast like Keras); `mask` (1 = keep) drops values and, for
   * the mean reductions, averages over the kept ones only, as Keras does with a Keras mask on `yPred`.
   */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null, mask?: Tensor | null): Tensor;
  getConfig?(): Record<string, unknown>;
}

/** The float dtype a loss computes in: float64 when the prediction is float64, else float32 (Keras's floatx). */
export function lossDType(yPred: Tensor): 'float32' | 'float64' {
  return yPred.dtype === 'float64' ? 'float64' : 'float32';
}

/** Rounds a constant to the loss dtype, as a Python float becomes a tensor of that dtype. */
export function constant(x: number, dtype: 'float32' | 'float64'): number {
  return dtype === 'float64' ? x : Math.fround(x);
}

/** Removes the last axis (which must be 1). */
export function squeezeLast(x: Tensor): Tensor {
  return reshape(x, x.shape.slice(0, -1));
}

/** Appends an axis of size 1. */
export function expandLast(x: Tensor): Tensor {
  return reshape(x, [...x.shape, 1]);
}

/**
 * Keras's `squeeze_or_expand_to_same_rank`: when the ranks differ by one and the longer has a last axis of 1,
 * either squeeze it or (when the shorter is rank 1) expand the shorter.
 */
export function squeezeOrExpandToSameRank(x1: Tensor, x2: Tensor, expandRank1 = true): [Tensor, Tensor] {
  if (x1.rank === x2.rank + 1 && x1.shape[x1.rank - 1] === 1) {
    if (x2.rank === 1 && expandRank1) return [x1, expandLast(x2)];
    return [squeezeLast(x1), x2];
  }
  if (x2.rank === x1.rank + 1 && x2.shape[x2.rank - 1] === 1) {
    if (x1.rank === 1 && expandRank1) return [expandLast(x1), x2];
    return [x1, squeezeLast(x2)];
  }
  return [x1, x2];
}

/** Throws a ShapeError unless `yTrue` and `yPred` have the same shape (after rank alignment). */
export function checkSameShape(yTrue: Tensor, yPred: Tensor, context: string): void {
  if (!shapesEqual(yTrue.shape, yPred.shape)) {
    throw new ShapeError({
      argument: 'yTrue',
      expected: `the shape of yPred ${formatShape(yPred.shape)}`,
      received: formatShape(yTrue.shape),
      context,
    });
  }
}

export function checkTensor(value: unknown, argument: string, context: string): Tensor {
  if (!(value instanceof Tensor)) {
    throw new InvalidArgumentError({ argument, expected: 'a Tensor', received: value, context });
  }
  return value;
}

/** x · (the broadcast of w), after lining up ranks like Keras; ShapeError when they do not broadcast. */
function weigh(values: Tensor, weight: Tensor, context: string): Tensor {
  const [v, w] = squeezeOrExpandToSameRank(values, weight);
  try {
    return mul(v, w);
  } catch (error) {
    if (error instanceof ShapeError) {
      throw new ShapeError({
        argument: 'sampleWeight',
        expected: `a shape that broadcasts against the per-sample losses ${formatShape(values.shape)}`,
        received: formatShape(weight.shape),
        context,
      });
    }
    throw error;
  }
}

/** Keras's `apply_mask`: folds a mask into the sample weights (scaled by total/valid for mean reductions). */
function applyMask(
  sampleWeight: Tensor | null,
  mask: Tensor,
  dtype: 'float32' | 'float64',
  reduction: Reduction,
): Tensor {
  const m = cast(mask, dtype);
  let floatMask = m;
  if (reduction === 'mean' || reduction === 'sum_over_batch_size') {
    let valid = 0;
    for (let i = 0; i < m.size; i++) valid += m.values[i] !== 0 ? 1 : 0;
    const total = m.size;
    const scale = valid === 0 ? 0 : constant(constant(total, dtype) / constant(valid, dtype), dtype);
    const values = dtype === 'float64' ? new Float64Array(m.size) : new Float32Array(m.size);
    for (let i = 0; i < m.size; i++) values[i] = m.values[i] !== 0 ? scale : 0;
    floatMask = new Tensor(values, m.shape, dtype);
  }
  if (sampleWeight === null) return floatMask;
  const [fm, sw] = squeezeOrExpandToSameRank(floatMask, cast(sampleWeight, dtype));
  return mul(sw, fm);
}

/**
 * Keras's `reduce_weighted_values`: applies mask and sample weights to the per-sample `values`, then reduces.
 * A scalar or empty `values` is returned as is.
 */
export function reduceWeightedValues(
  values: Tensor,
  sampleWeight: Tensor | null,
  mask: Tensor | null,
  reduction: Reduction,
  context: string,
): Tensor {
  const dtype = lossDType(values);
  let weight = sampleWeight === null ? null : cast(checkTensor(sampleWeight, 'sampleWeight', context), dtype);
  if (mask !== null) weight = applyMask(weight, checkTensor(mask, 'mask', context), dtype, reduction);
  let weighted = values;
  if (weight !== null) weighted = weigh(values, weight, context);
  if (reduction === 'none' || weighted.rank === 0 || weighted.size === 0) return weighted;
  const total = sum(weighted);
  if (reduction === 'sum') return total;
  let divisor: number;
  if (reduction === 'mean_with_sample_weight' && weight !== null) {
    divisor = constant(sumAll(weight), dtype);
  } else {
    divisor = weighted.size;
  }
  // divide_no_nan: 0 when the divisor is 0.
  return divisor === 0 ? mul(total, 0) : div(total, divisor);
}

function sumAll(t: Tensor): number {
  let s = 0;
  for (let i = 0; i < t.size; i++) s += t.values[i]!;
  return s;
}

export function checkReduction(value: unknown, context: string): Reduction {
  if (value === undefined) return 'sum_over_batch_size';
  if (value === null) return 'none';
  if (typeof value !== 'string' || !(REDUCTIONS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError({
      argument: 'reduction',
      expected: `one of ${REDUCTIONS.map((r) => JSON.stringify(r)).join(', ')}`,
      received: value,
      context,
    });
  }
  return value as Reduction;
}

export interface BaseLossOptions {
  /** Defaults to the Keras name of the loss, e.g. `mean_squared_error`. */
  name?: string;
  /** Default `sum_over_batch_size`. */
  reduction?: Reduction;
}

/**
 * A loss from a per-sample function, as Keras's `LossFunctionWrapper`: align ranks, compute per-sample values
 * with `values`, then weigh and reduce.
 */
export abstract class LossFunction implements Loss {
  /** Keras's class name, e.g. `MeanSquaredError`. */
  abstract readonly className: string;
  readonly name: string;
  readonly reduction: Reduction;

  constructor(options: BaseLossOptions, defaultName: string, className: string) {
    const context = `${className} constructor`;
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError({
        argument: 'options',
        expected: 'an options object',
        received: options,
        context,
      });
    }
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
      throw new InvalidArgumentError({
        argument: 'name',
        expected: 'a non-empty string',
        received: options.name,
        context,
      });
    }
    this.name = options.name ?? defaultName;
    this.reduction = checkReduction(options.reduction, context);
  }

  /** Per-sample losses for aligned, float inputs (usually the input shape without its last axis). */
  abstract values(yTrue: Tensor, yPred: Tensor): Tensor;

  /** The per-sample values and a mask of values to keep (Keras's mask on the output), or null. */
  protected valuesAndMask(yTrue: Tensor, yPred: Tensor): { values: Tensor; mask: Tensor | null } {
    return { values: this.values(yTrue, yPred), mask: null };
  }

  /** Casts `yTrue` to the loss dtype; sparse losses keep integer labels as they are. */
  protected prepareTrue(yTrue: Tensor, dtype: 'float32' | 'float64'): Tensor {
    return cast(yTrue, dtype);
  }

  call(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null, mask: Tensor | null = null): Tensor {
    const context = `${this.className} '${this.name}'`;
    checkTensor(yTrue, 'yTrue', context);
    checkTensor(yPred, 'yPred', context);
    const dtype = lossDType(yPred);
    const pred = cast(yPred, dtype);
    const [t, p] = squeezeOrExpandToSameRank(this.prepareTrue(yTrue, dtype), pred);
    const { values, mask: ownMask } = this.valuesAndMask(t, p);
    const combined = mask === null ? ownMask : ownMask === null ? mask : mul(cast(mask, dtype), ownMask);
    return reduceWeightedValues(values, sampleWeight, combined, this.reduction, context);
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }
}
