/**
 * The data side of training: checking the arguments of fit/evaluate/predict, turning user arrays into tensors
 * (copies: user inputs are never mutated), and cutting them into batches along the first axis.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Random } from '../random/rng.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor, toTensorArgument, type TensorLike } from '../tensor/tensor.js';

export type DataArg = Tensor | TensorLike;
/** Data for a model: one array, or a list with one per model input (or output, for targets). */
export type DataInput = DataArg | readonly DataArg[];

/** `value` as a tensor of rank ≥ 1 with at least one sample. A Tensor is used as is (tensors are immutable). */
export function toDataTensor(value: unknown, argument: string, context: string, dtype?: DType): Tensor {
  let t: Tensor;
  if (value instanceof Tensor) {
    t = value;
  } else {
    if (value === null || value === undefined || (typeof value !== 'object' && typeof value !== 'number')) {
      throw new InvalidArgumentError({
        argument,
        expected: 'a Tensor or a (nested) array of numbers',
        received: value,
        context,
      });
    }
    t = toTensorArgument(value, argument, context, dtype);
  }
  if (t.rank === 0) {
    throw new ShapeError({
      argument,
      expected: 'a tensor with a batch dimension (rank ≥ 1)',
      received: formatShape(t.shape),
      context,
    });
  }
  if (t.shape[0] === 0) {
    throw new InvalidArgumentError({
      argument,
      expected: 'at least one sample',
      received: `shape ${formatShape(t.shape)}`,
      context,
    });
  }
  return t;
}

/** Throws unless x and y have the same number of samples. */
export function checkSameBatch(x: Tensor, y: Tensor, context: string, names: [string, string] = ['x', 'y']): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new ShapeError({
      argument: names[1],
      expected: `${x.shape[0]} samples (the batch size of ${names[0]}, shape ${formatShape(x.shape)})`,
      received: `${y.shape[0]} samples (shape ${formatShape(y.shape)})`,
      context,
    });
  }
}

export function checkPositiveInteger(value: unknown, argument: string, context: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError({ argument, expected: 'a positive integer', received: value, context });
  }
  return value;
}

export function checkNonNegativeInteger(value: unknown, argument: string, context: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError({ argument, expected: 'a non-negative integer', received: value, context });
  }
  return value;
}

export type Verbose = 0 | 1 | 2;

/** Keras's `verbose`: 0 silent, 1 progress bar, 2 one line per epoch; `'auto'` is 1. */
export function checkVerbose(value: unknown, fallback: Verbose, context: string): Verbose {
  if (value === undefined) return fallback;
  if (value === 'auto') return 1;
  if (value !== 0 && value !== 1 && value !== 2) {
    throw new InvalidArgumentError({ argument: 'verbose', expected: "0, 1, 2 or 'auto'", received: value, context });
  }
  return value;
}

/** The number of samples along the first axis. */
export function numSamples(t: Tensor): number {
  return t.shape[0]!;
}

/** Rows [start, end) along the first axis, copied. */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const row = sizeOf(t.shape.slice(1));
  return new Tensor(t.values.slice(start * row, end * row), [end - start, ...t.shape.slice(1)], t.dtype);
}

/** The rows at `indices`, in that order, copied. */
export function gatherRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const row = sizeOf(t.shape.slice(1));
  const out = allocate(t.dtype, indices.length * row);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i]! * row;
    out.set(t.values.subarray(src, src + row), i * row);
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)], t.dtype);
}

/** Tensors of equal trailing shape joined along the first axis. */
export function concatRows(parts: readonly Tensor[]): Tensor {
  const first = parts[0]!;
  const rest = first.shape.slice(1);
  const total = parts.reduce((n, p) => n + p.shape[0]!, 0);
  const out = allocate(first.dtype, total * sizeOf(rest));
  let offset = 0;
  for (const p of parts) {
    out.set(p.values, offset);
    offset += p.size;
  }
  return new Tensor(out, [total, ...rest], first.dtype);
}

/** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
export function permutation(n: number, random: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

/** The batches of one pass over `n` samples: [start, end) pairs. */
export function batchRanges(n: number, batchSize: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < n; start += batchSize) ranges.push([start, Math.min(n, start + batchSize)]);
  return ranges;
}

/**
 * Keras's `validation_split`: the LAST `split` fraction of the samples (before any shuffling) is held out;
 * the first floor(n · (1 − split)) train. Both parts must be non-empty.
 */
export function splitForValidation(
  x: readonly Tensor[],
  y: readonly Tensor[],
  split: number,
  context: string,
): { train: [Tensor[], Tensor[]]; validation: [Tensor[], Tensor[]] } {
  const n = numSamples(x[0]!);
  const splitAt = Math.floor(n * (1 - split));
  if (splitAt === 0 || splitAt === n) {
    throw new InvalidArgumentError({
      argument: 'validationSplit',
      expected: `a fraction that leaves samples for both training and validation (x has ${n} samples)`,
      received: split,
      context,
    });
  }
  const rows = (list: readonly Tensor[], start: number, end: number): Tensor[] =>
    list.map((t) => sliceRows(t, start, end));
  return {
    train: [rows(x, 0, splitAt), rows(y, 0, splitAt)],
    validation: [rows(x, splitAt, n), rows(y, splitAt, n)],
  };
}
