/**
 * The statistics of Keras's `Normalization` layer: `adaptNormalization` computes the mean and variance that
 * `layer.adapt(data)` stores, and `normalize` applies the layer's transform (or its inverse). A `Normalization`
 * layer keeps these as its `mean` and `variance` weights.
 *
 * `axis` lists the axes that keep separate statistics (default `-1`, the features; `null`: one mean and one
 * variance for everything); every other axis is reduced. The variance is the population variance (NumPy's
 * `var`, divided by the count). Batches (a `Dataset`, an iterable of tensors or of `[x, y]` pairs) are merged
 * as Keras merges them: after each batch of b values, with n values so far,
 *
 *     w = b / n,   mean' = mean·(1 − w) + batchMean·w
 *     var' = (var + (mean − mean')²)·(1 − w) + (batchVar + (batchMean − mean')²)·w
 *
 * The transform is (x − mean) / max(√variance, 1e-7), the inverse mean + x · max(√variance, 1e-7), in float32.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { formatShape, sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor, tensor as makeTensor, type NestedArray, type TensorLike } from '../tensor/tensor.js';

/** Keras's `backend.epsilon()`: the smallest standard deviation the transform divides by. */
export const NORMALIZATION_EPSILON = 1e-7;

export interface NormalizationStatistics {
  /** The kept axes, non-negative and sorted, of inputs of rank `inputShape.length`. */
  readonly axis: readonly number[];
  /** The shape adapt saw (the first batch's, for batches). */
  readonly inputShape: readonly number[];
  /** float32, shape: the kept axes' sizes (`[]` for `axis: null`). */
  readonly mean: Tensor;
  readonly variance: Tensor;
  /** The number of values each mean is over. */
  readonly count: number;
}

export interface NormalizationOptions {
  /** The axes with their own statistics: an axis, a list of axes, or null for one overall. Default -1. */
  axis?: number | readonly number[] | null;
}

export type AdaptData =
  | Tensor
  | TensorLike
  | Iterable<Tensor | readonly [Tensor, ...unknown[]]>
  | AsyncIterable<Tensor | readonly [Tensor, ...unknown[]]>;

const CONTEXT = 'adaptNormalization';

/** Kept axes as non-negative sorted indices for inputs of rank `rank`; the error names the axis at fault. */
export function keptAxes(
  axis: number | readonly number[] | null | undefined,
  rank: number,
  context = CONTEXT,
): number[] {
  const list = axis === undefined ? [-1] : axis === null ? [] : typeof axis === 'number' ? [axis] : [...axis];
  const kept = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new InvalidArgumentError({
        argument: 'axis',
        expected: `integers in [${-rank}, ${rank}) for inputs of rank ${rank}`,
        received: axis,
        context,
      });
    }
    return a < 0 ? a + rank : a;
  });
  return [...new Set(kept)].sort((a, b) => a - b);
}

interface Moments {
  mean: Float64Array;
  variance: Float64Array;
  /** Values per statistic. */
  count: number;
}

/** Mean and population variance over every axis not in `kept`, per position of the kept axes (two passes). */
function moments(x: Tensor, kept: readonly number[]): Moments {
  const statShape = kept.map((a) => x.shape[a]!);
  const statStrides = stridesOf(statShape);
  const size = sizeOf(statShape);
  const count = x.size / Math.max(size, 1);
  const strides = stridesOf(x.shape);
  // Where each element's statistic is: the row-major index over the kept axes.
  const slot = new Int32Array(x.size);
  for (let i = 0; i < x.size; i++) {
    let s = 0;
    kept.forEach((a, k) => (s += (Math.floor(i / strides[a]!) % x.shape[a]!) * statStrides[k]!));
    slot[i] = s;
  }
  const mean = new Float64Array(size);
  for (let i = 0; i < x.size; i++) mean[slot[i]!]! += x.values[i]!;
  for (let s = 0; s < size; s++) mean[s]! /= count;
  const variance = new Float64Array(size);
  for (let i = 0; i < x.size; i++) variance[slot[i]!]! += (x.values[i]! - mean[slot[i]!]!) ** 2;
  for (let s = 0; s < size; s++) variance[s]! /= count;
  return { mean, variance, count };
}

function firstOf(batch: unknown): unknown {
  return Array.isArray(batch) && batch.length > 0 && batch[0] instanceof Tensor ? batch[0] : batch;
}

function asTensor(value: unknown, argument: string): Tensor {
  if (value instanceof Tensor) return value;
  try {
    return makeTensor(value as TensorLike);
  } catch (cause) {
    throw new InvalidArgumentError({
      argument,
      expected: 'a tensor or a (nested) array of numbers',
      received: value,
      context: `${CONTEXT}: ${(cause as Error).message}`,
    });
  }
}

function isBatches(data: unknown): data is Iterable<unknown> | AsyncIterable<unknown> {
  if (data instanceof Tensor || ArrayBuffer.isView(data) || data === null || typeof data !== 'object') return false;
  // A nested array of numbers is data; an array of tensors (or of [x, y] pairs) is a list of batches.
  if (Array.isArray(data)) return data.length > 0 && firstOf(data[0]) instanceof Tensor;
  return Symbol.iterator in data || Symbol.asyncIterator in data;
}

function finish(kept: number[], inputShape: readonly number[], m: Moments): NormalizationStatistics {
  const shape = kept.map((a) => inputShape[a]!);
  return {
    axis: kept,
    inputShape: [...inputShape],
    mean: new Tensor(Float32Array.from(m.mean), shape, 'float32'),
    variance: new Tensor(Float32Array.from(m.variance), shape, 'float32'),
    count: m.count,
  };
}

/**
 * The mean and variance `Normalization.adapt(data)` computes: over an array or tensor in one go, or over
 * batches (any iterable or async iterable of tensors or `[x, y]` pairs, such as a `Dataset`) merged one by one.
 * Synchronous data gives the result directly, async iterables a promise.
 */
export function adaptNormalization(
  data: Tensor | TensorLike | Iterable<unknown>,
  options?: NormalizationOptions,
): NormalizationStatistics;
export function adaptNormalization(
  data: AsyncIterable<unknown>,
  options?: NormalizationOptions,
): Promise<NormalizationStatistics>;
export function adaptNormalization(
  data: unknown,
  options: NormalizationOptions = {},
): NormalizationStatistics | Promise<NormalizationStatistics> {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({
      argument: 'options',
      expected: 'an options object',
      received: options,
      context: CONTEXT,
    });
  }
  if (!isBatches(data)) {
    const x = asTensor(data, 'data');
    if (x.size === 0)
      throw new InvalidArgumentError({
        argument: 'data',
        expected: 'at least one value',
        received: x,
        context: CONTEXT,
      });
    const kept = keptAxes(options.axis, x.rank);
    return finish(kept, x.shape, moments(x, kept));
  }
  const merger = new BatchMerger(options.axis);
  if (Symbol.iterator in data) {
    for (const batch of data as Iterable<unknown>) merger.add(batch);
    return merger.result();
  }
  return (async () => {
    for await (const batch of data as AsyncIterable<unknown>) merger.add(batch);
    return merger.result();
  })();
}

/** Keras's running merge of batch statistics (see the module comment). */
class BatchMerger {
  private kept: number[] | null = null;
  private inputShape: readonly number[] = [];
  private total: Moments | null = null;
  private batches = 0;

  constructor(private readonly axis: NormalizationOptions['axis']) {}

  add(batch: unknown): void {
    const x = asTensor(firstOf(batch), `data batch ${this.batches}`);
    if (this.kept === null) {
      this.kept = keptAxes(this.axis, x.rank);
      this.inputShape = x.shape;
    } else if (x.rank !== this.inputShape.length || this.kept.some((a) => x.shape[a] !== this.inputShape[a])) {
      throw new ShapeError({
        argument: `data batch ${this.batches}`,
        expected: `a batch whose kept axes match the first batch's shape ${formatShape(this.inputShape)}`,
        received: formatShape(x.shape),
        context: CONTEXT,
      });
    }
    this.batches++;
    if (x.size === 0) return;
    const b = moments(x, this.kept);
    if (this.total === null) {
      this.total = b;
      return;
    }
    const t = this.total;
    const n = t.count + b.count;
    const w = b.count / n;
    for (let s = 0; s < t.mean.length; s++) {
      const mean = t.mean[s]! * (1 - w) + b.mean[s]! * w;
      t.variance[s] =
        (t.variance[s]! + (t.mean[s]! - mean) ** 2) * (1 - w) + (b.variance[s]! + (b.mean[s]! - mean) ** 2) * w;
      t.mean[s] = mean;
    }
    t.count = n;
  }

  result(): NormalizationStatistics {
    if (this.total === null || this.kept === null) {
      throw new InvalidArgumentError({
        argument: 'data',
        expected: 'at least one non-empty batch',
        received: 'no values',
        context: CONTEXT,
      });
    }
    return finish(this.kept, this.inputShape, this.total);
  }
}

export interface NormalizeOptions {
  /** Map normalized values back (Keras's `invert=True`). Default false. */
  invert?: boolean;
}

/** What `normalize` takes: statistics from `adaptNormalization`, or a mean and variance given directly. */
export interface NormalizationValues {
  mean: Tensor | NestedArray;
  variance: Tensor | NestedArray;
  /** The kept axes the mean's dimensions belong to (aligned from the right). Default -1. */
  axis?: number | readonly number[] | null;
}

/**
 * Keras's `Normalization` transform of `x`: (x − mean) / max(√variance, 1e-7), or its inverse. A scalar mean
 * and variance apply to every value; otherwise their dimensions align with the kept axes from the right.
 */
export function normalize(x: Tensor | TensorLike, stats: NormalizationValues, options: NormalizeOptions = {}): Tensor {
  const context = 'normalize';
  const input = asTensor(x, 'x');
  const mean = asTensor(stats.mean, 'mean');
  const variance = asTensor(stats.variance, 'variance');
  if (formatShape(mean.shape) !== formatShape(variance.shape)) {
    throw new ShapeError({
      argument: 'variance',
      expected: `the mean's shape ${formatShape(mean.shape)}`,
      received: formatShape(variance.shape),
      context,
    });
  }
  const kept = mean.rank === 0 ? [] : keptAxes(stats.axis, input.rank, context);
  if (mean.rank > kept.length) {
    throw new ShapeError({
      argument: 'mean',
      expected: `rank ≤ ${kept.length} (the kept axes ${formatShape(kept)})`,
      received: formatShape(mean.shape),
      context,
    });
  }
  // The mean's dimensions, aligned with the last kept axes; other kept axes broadcast (size 1).
  const axes = kept.slice(kept.length - mean.rank);
  axes.forEach((a, k) => {
    const d = mean.shape[k]!;
    if (d !== 1 && d !== input.shape[a]) {
      throw new ShapeError({
        argument: 'x',
        expected: `size ${d} on axis ${a} (the mean's shape ${formatShape(mean.shape)})`,
        received: formatShape(input.shape),
        context,
      });
    }
  });
  const strides = stridesOf(input.shape);
  const meanStrides = stridesOf(mean.shape);
  const r = Math.fround;
  const eps = r(NORMALIZATION_EPSILON);
  const out = new Float32Array(input.size);
  for (let i = 0; i < input.size; i++) {
    let s = 0;
    axes.forEach((a, k) => {
      if (mean.shape[k] !== 1) s += (Math.floor(i / strides[a]!) % input.shape[a]!) * meanStrides[k]!;
    });
    const std = Math.max(r(Math.sqrt(r(variance.values[s]!))), eps);
    const m = r(mean.values[s]!);
    const v = r(input.values[i]!);
    out[i] = options.invert ? r(m + r(v * std)) : r(r(v - m) / std);
  }
  return new Tensor(out, input.shape, 'float32');
}
