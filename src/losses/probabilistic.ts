/**
 * Crossentropy and other probabilistic losses (keras/src/losses/losses.py on the TensorFlow backend).
 *
 * From probabilities, predictions are clipped to [ε, 1 − ε] (ε = 1e-7) before the log; from logits
 * (`fromLogits`, or when `yPred` came out of a sigmoid/softmax activation that attached its logits, see
 * logits.ts) the stable logit formulas are used instead.
 */
import { ShapeError } from '../errors.js';
import { add, div, mul, notEqual, sub } from '../ops/arithmetic.js';
import { mean, sum } from '../ops/reduce.js';
import { cast, where } from '../ops/shape-ops.js';
import { clipByValue, log } from '../ops/unary.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkBoolean, checkIntegerOrNull, checkNumber, checkNumberInRange, checkOptionKeys } from '../validation.js';
import {
  binaryCrossentropyFromLogits,
  binaryCrossentropyFromProbs,
  categoricalCrossentropyFromProbs,
  classIds,
  clipProbabilities,
  EPSILON,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
} from './crossentropy-ops.js';
import { checkSameShape, constant, lossDType, LossFunction, squeezeLast, type BaseLossOptions } from './loss.js';
import { logitsOf } from './logits.js';

const BASE_KEYS = ['name', 'reduction'];

export interface CrossentropyOptions {
  /** Whether yPred holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /** In [0, 1]; default 0. */
  labelSmoothing?: number;
  /** The class axis; default −1. */
  axis?: number;
}

/** Per-sample binary crossentropy: mean over `axis` of the elementwise crossentropy. */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  checkSameShape(yTrue, yPred, 'binaryCrossentropy');
  const dtype = lossDType(yPred);
  let target = cast(yTrue, dtype);
  if (labelSmoothing) target = add(mul(target, 1 - labelSmoothing), constant(0.5 * labelSmoothing, dtype));
  const logits = logitsOf(yPred);
  const values =
    logits !== null && shapesEqual(logits.shape, yPred.shape)
      ? binaryCrossentropyFromLogits(target, cast(logits, dtype))
      : fromLogits
        ? binaryCrossentropyFromLogits(target, yPred)
        : binaryCrossentropyFromProbs(target, yPred);
  return mean(values, axis);
}

/** Per-sample categorical crossentropy over `axis` for one-hot (or smoothed) labels. */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  checkSameShape(yTrue, yPred, 'categoricalCrossentropy');
  if (yPred.rank === 0) {
    throw new ShapeError({
      argument: 'yPred',
      expected: 'rank ≥ 1',
      received: formatShape(yPred.shape),
      context: 'categoricalCrossentropy',
    });
  }
  const dtype = lossDType(yPred);
  let target = cast(yTrue, dtype);
  if (labelSmoothing) {
    const numClasses = target.shape[target.rank - 1]!;
    target = add(mul(target, 1 - labelSmoothing), constant(constant(labelSmoothing, dtype) / numClasses, dtype));
  }
  const logits = logitsOf(yPred);
  if (logits !== null && shapesEqual(logits.shape, yPred.shape))
    return softmaxCrossEntropyWithLogits(target, cast(logits, dtype), axis);
  if (fromLogits) return softmaxCrossEntropyWithLogits(target, yPred, axis);
  return categoricalCrossentropyFromProbs(target, yPred, normalizeAxis(axis, yPred.rank, 'categoricalCrossentropy'));
}

export interface SparseCrossentropyOptions {
  fromLogits?: boolean;
  /** A class id whose samples count for nothing (they are masked out of the mean); default null. */
  ignoreClass?: number | null;
}

/**
 * Per-sample sparse categorical crossentropy. `yTrue` holds class ids: shape yPred.shape[:-1] ([B] for [B,C],
 * [B,T] for [B,T,C]) or that with a trailing 1. Returns the values and, with `ignoreClass`, the mask of kept
 * samples.
 */
export function sparseCategoricalCrossentropyWithMask(
  yTrue: Tensor,
  yPred: Tensor,
  options: SparseCrossentropyOptions = {},
): { values: Tensor; mask: Tensor | null } {
  const { fromLogits = false, ignoreClass = null } = options;
  const context = 'sparseCategoricalCrossentropy';
  if (yPred.rank === 0) {
    throw new ShapeError({
      argument: 'yPred',
      expected: 'rank ≥ 1 (classes last)',
      received: formatShape(yPred.shape),
      context,
    });
  }
  let labels = yTrue;
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = squeezeLast(labels);
  const expected = yPred.shape.slice(0, -1);
  if (!shapesEqual(labels.shape, expected)) {
    throw new ShapeError({
      argument: 'yTrue',
      expected: `class ids of shape ${formatShape(expected)} (yPred ${formatShape(yPred.shape)} without its class axis), or with a trailing 1`,
      received: formatShape(yTrue.shape),
      context,
    });
  }
  const dtype = lossDType(yPred);
  const numClasses = yPred.shape[yPred.rank - 1]!;
  let pred = yPred;
  let valid: Tensor | null = null;
  let ids: Int32Array;
  if (ignoreClass !== null) {
    // Ignored samples get class 0 and an all-zero prediction row, and their loss is zeroed and masked.
    valid = cast(notEqual(cast(labels, dtype), constant(ignoreClass, dtype)), dtype);
    const keep = valid.values;
    const raw = new Float64Array(labels.size);
    for (let i = 0; i < raw.length; i++) raw[i] = keep[i] ? labels.values[i]! : 0;
    ids = classIds(new Tensor(raw, labels.shape, 'float64'), numClasses, context);
    const rowMask = new Tensor(
      Float64Array.from({ length: yPred.size }, (_, k) => keep[Math.floor(k / numClasses)]!),
      yPred.shape,
      'float64',
    );
    pred = where(rowMask, yPred, zerosOf(yPred.shape, dtype));
  } else {
    ids = classIds(labels, numClasses, context);
  }
  const logits = logitsOf(yPred);
  let values: Tensor;
  if (logits !== null && ignoreClass === null && shapesEqual(logits.shape, yPred.shape)) {
    values = sparseSoftmaxCrossEntropyWithLogits(ids, cast(logits, dtype), context);
  } else if (fromLogits) {
    values = sparseSoftmaxCrossEntropyWithLogits(ids, pred, context);
  } else {
    values = sparseSoftmaxCrossEntropyWithLogits(ids, log(clipProbabilities(pred)), context);
  }
  if (valid !== null) {
    values = where(valid, values, zerosOf(values.shape, dtype));
  }
  return { values, mask: valid };
}

function zerosOf(shape: readonly number[], dtype: 'float32' | 'float64'): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape, dtype);
}

export function sparseCategoricalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: SparseCrossentropyOptions = {},
): Tensor {
  return sparseCategoricalCrossentropyWithMask(yTrue, yPred, options).values;
}

/** Σ t·log(t/p) over axis −1, both clipped to [ε, 1]. */
export function klDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'klDivergence');
  const eps = constant(EPSILON, lossDType(yPred));
  const t = clipByValue(yTrue, eps, 1);
  const p = clipByValue(yPred, eps, 1);
  return sum(mul(t, log(div(t, p))), -1);
}

/** mean(yPred − yTrue·log(yPred + ε), axis −1). */
export function poisson(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'poisson');
  const eps = constant(EPSILON, lossDType(yPred));
  return mean(sub(yPred, mul(yTrue, log(add(yPred, eps)))), -1);
}

export interface BinaryCrossentropyOptions extends BaseLossOptions, CrossentropyOptions {}

function crossentropyOptions(options: CrossentropyOptions, context: string): Required<CrossentropyOptions> {
  return {
    fromLogits: checkBoolean(options.fromLogits, false, 'fromLogits', context),
    labelSmoothing: checkNumberInRange(options.labelSmoothing, 0, 'labelSmoothing', 0, 1, context),
    axis: checkNumber(options.axis, -1, 'axis', { integer: true }, context),
  };
}

export class BinaryCrossentropy extends LossFunction {
  readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(options: BinaryCrossentropyOptions = {}) {
    const context = 'BinaryCrossentropy constructor';
    checkOptionKeys(options, [...BASE_KEYS, 'fromLogits', 'labelSmoothing', 'axis'], context);
    super(options, 'binary_crossentropy', 'BinaryCrossentropy');
    ({
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
    } = crossentropyOptions(options, context));
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryCrossentropy(yTrue, yPred, this);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

export interface CategoricalCrossentropyOptions extends BaseLossOptions, CrossentropyOptions {}

export class CategoricalCrossentropy extends LossFunction {
  readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(options: CategoricalCrossentropyOptions = {}) {
    const context = 'CategoricalCrossentropy constructor';
    checkOptionKeys(options, [...BASE_KEYS, 'fromLogits', 'labelSmoothing', 'axis'], context);
    super(options, 'categorical_crossentropy', 'CategoricalCrossentropy');
    ({
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
    } = crossentropyOptions(options, context));
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalCrossentropy(yTrue, yPred, this);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

export interface SparseCategoricalCrossentropyOptions extends BaseLossOptions, SparseCrossentropyOptions {}

export class SparseCategoricalCrossentropy extends LossFunction {
  readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  constructor(options: SparseCategoricalCrossentropyOptions = {}) {
    const context = 'SparseCategoricalCrossentropy constructor';
    checkOptionKeys(options, [...BASE_KEYS, 'fromLogits', 'ignoreClass'], context);
    super(options, 'sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy');
    this.fromLogits = checkBoolean(options.fromLogits, false, 'fromLogits', context);
    this.ignoreClass = checkIntegerOrNull(options.ignoreClass, 'ignoreClass', context);
  }
  /** Class ids are used as given (not cast to float). */
  protected override prepareTrue(yTrue: Tensor): Tensor {
    return yTrue;
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseCategoricalCrossentropy(yTrue, yPred, this);
  }
  protected override valuesAndMask(yTrue: Tensor, yPred: Tensor): { values: Tensor; mask: Tensor | null } {
    return sparseCategoricalCrossentropyWithMask(yTrue, yPred, this);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, ignoreClass: this.ignoreClass };
  }
}

export class KLDivergence extends LossFunction {
  readonly className: string = 'KLDivergence';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'KLDivergence constructor');
    super(options, 'kl_divergence', 'KLDivergence');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return klDivergence(yTrue, yPred);
  }
}

export class Poisson extends LossFunction {
  readonly className: string = 'Poisson';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'Poisson constructor');
    super(options, 'poisson', 'Poisson');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return poisson(yTrue, yPred);
  }
}
