/**
 * `timeseriesDataset`: Keras's `keras.utils.timeseries_dataset_from_array`. Sliding windows over a series
 * whose first axis is time, batched, with the target of each window.
 *
 * With start index s (default 0), end index e (default the data's length), window length L, sampling rate r
 * and stride k, the windows start at p = 0, k, 2k, ... (relative to s) while p < n, where
 *
 *     n = e − s − (L − 1)·r           (and n ≤ targets.length when targets are given)
 *
 * Window p holds data[s + p], data[s + p + r], ..., data[s + p + (L − 1)·r]; its target is targets[s + p]:
 * the target of a window is the one at the index where the window STARTS (Keras's example: to predict the value
 * after a window of 10, pass `data.slice(0, -10)` and `targets = data.slice(10)`). Batches hold `batchSize`
 * windows in order, the last one what is left; `batchSize: null` yields single windows.
 *
 * Differences from Keras, on purpose: a window longer than the data (Keras: an empty dataset) and targets too
 * short for the windows (Keras: an error deep inside `tf.gather`) are `InvalidArgumentError`s. With `shuffle`,
 * every pass draws a new permutation of all windows from the seeded generator; Keras shuffles the window
 * starts once with NumPy and then again within a buffer of 8 batches with TensorFlow's generator, an order
 * that cannot be reproduced outside TensorFlow. Which windows a pass holds, and the batch sizes, are Keras's.
 */
import { InvalidArgumentError } from '../errors.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor, tensor as makeTensor, type TensorLike } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import { Dataset } from './dataset.js';

export interface TimeseriesDatasetOptions {
  /** Time steps per window. */
  sequenceLength: number;
  /** Steps between the starts of successive windows. Default 1. */
  sequenceStride?: number;
  /** Steps between successive time steps inside a window. Default 1. */
  samplingRate?: number;
  /** Windows per batch; null yields single windows. Default 128. */
  batchSize?: number | null;
  /** Default false. */
  shuffle?: boolean;
  seed?: number | null;
  /** Data before this index is not used. Default 0. */
  startIndex?: number | null;
  /** Data from this index on is not used (exclusive). Default: the data's length. */
  endIndex?: number | null;
}

const KEYS = [
  'sequenceLength',
  'sequenceStride',
  'samplingRate',
  'batchSize',
  'shuffle',
  'seed',
  'startIndex',
  'endIndex',
];
const CONTEXT = 'timeseriesDataset';

function asSeries(value: unknown, argument: string): Tensor {
  const t = value instanceof Tensor ? value : makeTensor(value as TensorLike);
  if (t.rank === 0)
    throw new InvalidArgumentError({
      argument,
      expected: 'an array whose first axis is time (rank ≥ 1)',
      received: t,
      context: CONTEXT,
    });
  if (t.dtype === 'bool')
    throw new InvalidArgumentError({ argument, expected: 'numbers, not booleans', received: t, context: CONTEXT });
  return t;
}

function positiveInteger(value: unknown, fallback: number | undefined, argument: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new InvalidArgumentError({ argument, expected: 'a positive integer', received: value, context: CONTEXT });
  }
  return v;
}

function optionalInteger(value: unknown, argument: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidArgumentError({ argument, expected: 'an integer or null', received: value, context: CONTEXT });
  }
  return value;
}

/** Copies rows `rows` of `series` (each row is everything after the first axis) into one new tensor. */
function gatherRows(series: Tensor, rows: ArrayLike<number>, shape: number[]): Tensor {
  const row = sizeOf(series.shape.slice(1));
  const out = allocate(series.dtype, rows.length * row);
  for (let i = 0; i < rows.length; i++) out.set(series.values.subarray(rows[i]! * row, (rows[i]! + 1) * row), i * row);
  return new Tensor(out, shape, series.dtype);
}

/**
 * Sliding windows over `data` (first axis: time), with `targets[i]` the target of the window that starts at
 * step i, or `null` for windows alone. The dataset yields `[x, y]` batches (`x` is `[batch, sequenceLength,
 * ...features]`, `y` is `[batch, ...targetShape]`), or `x` alone without targets. See the module comment.
 */
export function timeseriesDataset(
  data: Tensor | TensorLike,
  targets: null,
  options: TimeseriesDatasetOptions,
): Dataset<Tensor>;
export function timeseriesDataset(
  data: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  options: TimeseriesDatasetOptions,
): Dataset<[Tensor, Tensor]>;
export function timeseriesDataset(
  data: Tensor | TensorLike,
  targets: Tensor | TensorLike | null,
  options: TimeseriesDatasetOptions,
): Dataset<Tensor> | Dataset<[Tensor, Tensor]> {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({
      argument: 'options',
      expected: 'an options object with sequenceLength',
      received: options,
      context: CONTEXT,
    });
  }
  const unknown = Object.keys(options).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError({
      argument: 'options',
      expected: `only the options ${KEYS.join(', ')}`,
      received: `unknown ${unknown.join(', ')}`,
      context: CONTEXT,
    });
  }
  const series = asSeries(data, 'data');
  const y = targets === null || targets === undefined ? null : asSeries(targets, 'targets');
  const length = series.shape[0]!;
  const sequenceLength = positiveInteger(options.sequenceLength, undefined, 'sequenceLength');
  const stride = positiveInteger(options.sequenceStride, 1, 'sequenceStride');
  const rate = positiveInteger(options.samplingRate, 1, 'samplingRate');
  const batchSize = options.batchSize === null ? null : positiveInteger(options.batchSize, 128, 'batchSize');
  const start = optionalInteger(options.startIndex, 'startIndex') ?? 0;
  const endOption = optionalInteger(options.endIndex, 'endIndex');
  // Keras's checks, in Keras's order.
  if (start < 0 || (start > 0 && start >= length)) {
    throw new InvalidArgumentError({
      argument: 'startIndex',
      expected: `0 or greater and lower than the data's length ${length}`,
      received: start,
      context: CONTEXT,
    });
  }
  if (endOption !== null && (endOption <= start || endOption >= length || endOption <= 0)) {
    throw new InvalidArgumentError({
      argument: 'endIndex',
      expected: `higher than startIndex (${start}) and 0, and lower than the data's length ${length}`,
      received: endOption,
      context: CONTEXT,
    });
  }
  if (rate >= length)
    throw new InvalidArgumentError({
      argument: 'samplingRate',
      expected: `lower than the data's length ${length}`,
      received: rate,
      context: CONTEXT,
    });
  if (stride >= length)
    throw new InvalidArgumentError({
      argument: 'sequenceStride',
      expected: `lower than the data's length ${length}`,
      received: stride,
      context: CONTEXT,
    });
  const end = endOption ?? length;
  const span = (sequenceLength - 1) * rate + 1;
  let count = end - start - (sequenceLength - 1) * rate;
  if (count <= 0) {
    throw new InvalidArgumentError({
      argument: 'sequenceLength',
      expected: `a window that fits the ${end - start} steps of data from ${start} to ${end} (sequenceLength ${sequenceLength} × samplingRate ${rate} spans ${span} steps)`,
      received: sequenceLength,
      context: CONTEXT,
    });
  }
  if (y !== null) count = Math.min(count, y.shape[0]!);
  const starts: number[] = [];
  for (let p = 0; p < count; p += stride) starts.push(p);
  if (y !== null && start + starts[starts.length - 1]! >= Math.min(end, y.shape[0]!)) {
    throw new InvalidArgumentError({
      argument: 'targets',
      expected: `a target for every window start up to index ${start + starts[starts.length - 1]!} (targets[i] is the target of the window starting at i)`,
      received: `${y.shape[0]} targets`,
      context: CONTEXT,
    });
  }

  const features = series.shape.slice(1);
  const windowsOf = (indices: ArrayLike<number>, batched: boolean): Tensor => {
    const rows = new Int32Array(indices.length * sequenceLength);
    for (let i = 0; i < indices.length; i++) {
      const first = start + starts[indices[i]!]!;
      for (let k = 0; k < sequenceLength; k++) rows[i * sequenceLength + k] = first + k * rate;
    }
    return gatherRows(
      series,
      rows,
      batched ? [indices.length, sequenceLength, ...features] : [sequenceLength, ...features],
    );
  };
  const datasetOptions = { batchSize, shuffle: options.shuffle ?? false, seed: options.seed ?? null };
  if (y === null) return new Dataset<Tensor>({ size: starts.length, take: windowsOf }, datasetOptions);
  const targetShape = y.shape.slice(1);
  const targetsOf = (indices: ArrayLike<number>, batched: boolean): Tensor => {
    const rows = Array.from(indices, (i) => start + starts[i]!);
    return gatherRows(y, rows, batched ? [indices.length, ...targetShape] : targetShape);
  };
  return new Dataset<[Tensor, Tensor]>(
    { size: starts.length, take: (indices, batched) => [windowsOf(indices, batched), targetsOf(indices, batched)] },
    datasetOptions,
  );
}
