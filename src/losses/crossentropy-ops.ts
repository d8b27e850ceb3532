/**
 * The crossentropy primitives of Keras's TensorFlow backend (keras/src/backend/tensorflow/nn.py), each with its
 * TensorFlow gradient:
 *
 * - `binaryCrossentropyFromProbs`, `binaryCrossentropyFromLogits`, `categoricalCrossentropyFromProbs`: compositions
 *   of differentiable ops, so their gradients are exactly TensorFlow's autodiff of the same ops (including the
 *   zero gradient where the ε-clipping is active).
 * - `softmaxCrossEntropyWithLogits`, `sparseSoftmaxCrossEntropyWithLogits`: fused, as TensorFlow's kernels are.
 *   Each slice is computed in double from max-shifted logits and stored in the input's float dtype. Their
 *   gradient is TensorFlow's: (softmax(x) − labels)·dy, which is the true gradient when the labels of a slice
 *   sum to 1 (one-hot or smoothed labels).
 */
import { record } from '../autodiff/tape.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { add, div, ge, mul, neg, sub } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { where } from '../ops/shape-ops.js';
import { clipByValue, exp, log, log1p } from '../ops/unary.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { constant } from './loss.js';

/** Keras's `backend.epsilon()`. */
export const EPSILON = 1e-7;

function floatDType(t: Tensor): 'float32' | 'float64' {
  return t.dtype === 'float64' ? 'float64' : 'float32';
}

/** clip(p, ε, 1 − ε) with the bounds in p's dtype, as `tf.clip_by_value(output, epsilon, 1 - epsilon)`. */
export function clipProbabilities(p: Tensor): Tensor {
  const dtype = floatDType(p);
  return clipByValue(p, constant(EPSILON, dtype), constant(1 - EPSILON, dtype));
}

/** −(t·log p + (1 − t)·log(1 − p)) elementwise, p clipped to [ε, 1 − ε]. */
export function binaryCrossentropyFromProbs(target: Tensor, output: Tensor): Tensor {
  const p = clipProbabilities(output);
  const bce = add(mul(target, log(p)), mul(sub(1, target), log(sub(1, p))));
  return neg(bce);
}

/**
 * tf.nn.sigmoid_cross_entropy_with_logits: max(x, 0) − x·z + log(1 + exp(−|x|)), written with the same
 * `where(x ≥ 0, ...)` selections as TensorFlow so that the gradient at x = 0 is also TensorFlow's.
 */
export function binaryCrossentropyFromLogits(labels: Tensor, logits: Tensor): Tensor {
  const zeros = new Tensor(allocate(floatDType(logits), logits.size), logits.shape, floatDType(logits));
  const cond = ge(logits, zeros);
  const reluLogits = where(cond, logits, zeros);
  const negAbsLogits = where(cond, neg(logits), logits);
  return add(sub(reluLogits, mul(logits, labels)), log1p(exp(negAbsLogits)));
}

/** −Σ t·log(p/Σp) along `axis`, the normalised p clipped to [ε, 1 − ε]. */
export function categoricalCrossentropyFromProbs(target: Tensor, output: Tensor, axis: number): Tensor {
  const normalised = div(output, sum(output, axis, true));
  return neg(sum(mul(target, log(clipProbabilities(normalised))), axis));
}

interface Layout {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

function layoutOf(shape: readonly number[], axis: number): Layout {
  return { outer: sizeOf(shape.slice(0, axis)), n: shape[axis]!, inner: sizeOf(shape.slice(axis + 1)) };
}

/** Calls `fn(base, stride, cell)` for each slice along the axis; `cell` indexes the reduced output. */
function forEachSlice(layout: Layout, fn: (base: number, stride: number, cell: number) => void): void {
  for (let o = 0; o < layout.outer; o++) {
    for (let i = 0; i < layout.inner; i++) fn(o * layout.n * layout.inner + i, layout.inner, o * layout.inner + i);
  }
}

/** Softmax of one slice into `out` (double), returning log Σ exp(x − max) and the max. */
function sliceSoftmax(
  x: ArrayLike<number>,
  base: number,
  stride: number,
  n: number,
  out: Float64Array,
): { lse: number; max: number } {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, x[base + j * stride]!);
  let total = 0;
  for (let j = 0; j < n; j++) total += out[j] = Math.exp(x[base + j * stride]! - m);
  for (let j = 0; j < n; j++) out[j] = out[j]! / total;
  return { lse: Math.log(total), max: m };
}

/**
 * tf.nn.softmax_cross_entropy_with_logits along `axis`: Σ labels·(log Σ exp(x) − x). `labels` and `logits` have
 * the same shape; the result drops `axis`.
 */
export function softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor, axis = -1): Tensor {
  const context = 'softmaxCrossEntropyWithLogits';
  if (!shapesEqual(labels.shape, logits.shape)) {
    throw new ShapeError({
      argument: 'labels',
      expected: `the shape of logits ${formatShape(logits.shape)}`,
      received: formatShape(labels.shape),
      context,
    });
  }
  if (logits.rank === 0) {
    throw new ShapeError({ argument: 'logits', expected: 'rank ≥ 1', received: formatShape(logits.shape), context });
  }
  const ax = normalizeAxis(axis, logits.rank, context);
  const dtype = floatDType(logits);
  const layout = layoutOf(logits.shape, ax);
  const outShape = logits.shape.filter((_, i) => i !== ax);
  const out = allocate(dtype, layout.outer * layout.inner);
  const x = logits.values;
  const z = labels.values;
  const p = new Float64Array(layout.n);
  forEachSlice(layout, (base, stride, cell) => {
    const { lse, max } = sliceSoftmax(x, base, stride, layout.n, p);
    let loss = 0;
    for (let j = 0; j < layout.n; j++) loss += z[base + j * stride]! * (lse - (x[base + j * stride]! - max));
    out[cell] = loss;
  });
  const y = new Tensor(out, outShape, dtype);
  return record(y, [labels, logits], (dy) => {
    // d logits = (softmax − labels)·dy; d labels = −log_softmax·dy.
    const gx = allocate(dtype, logits.size);
    const gz = allocate(floatDType(labels), labels.size);
    forEachSlice(layout, (base, stride, cell) => {
      const { lse, max } = sliceSoftmax(x, base, stride, layout.n, p);
      const d = dy.values[cell]!;
      for (let j = 0; j < layout.n; j++) {
        const k = base + j * stride;
        gx[k] = (p[j]! - z[k]!) * d;
        gz[k] = -(x[k]! - max - lse) * d;
      }
    });
    return [new Tensor(gz, labels.shape, floatDType(labels)), new Tensor(gx, logits.shape, dtype)];
  });
}

/**
 * Integer class ids of `labels` (any numeric dtype), checked to lie in [0, numClasses). Keras casts to int64;
 * TensorFlow rejects out-of-range labels on CPU.
 */
export function classIds(labels: Tensor, numClasses: number, context: string): Int32Array {
  const ids = new Int32Array(labels.size);
  for (let i = 0; i < labels.size; i++) {
    const v = labels.values[i]!;
    const id = Math.trunc(v);
    if (!Number.isFinite(v) || id < 0 || id >= numClasses) {
      throw new InvalidArgumentError({
        argument: 'yTrue',
        expected: `class ids in [0, ${numClasses})`,
        received: v,
        context,
      });
    }
    ids[i] = id;
  }
  return ids;
}

/**
 * tf.nn.sparse_softmax_cross_entropy_with_logits: log Σ exp(x) − x[label] over the last axis. `labels` are class
 * ids of shape logits.shape[:-1].
 */
export function sparseSoftmaxCrossEntropyWithLogits(
  labels: Int32Array,
  logits: Tensor,
  context = 'sparseSoftmaxCrossEntropyWithLogits',
): Tensor {
  if (logits.rank === 0) {
    throw new ShapeError({ argument: 'logits', expected: 'rank ≥ 1', received: formatShape(logits.shape), context });
  }
  const dtype = floatDType(logits);
  const n = logits.shape[logits.rank - 1]!;
  const rows = logits.size / Math.max(n, 1);
  if (labels.length !== rows) {
    throw new ShapeError({ argument: 'labels', expected: `${rows} class ids`, received: `${labels.length}`, context });
  }
  const x = logits.values;
  const out = allocate(dtype, rows);
  const p = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const { lse, max } = sliceSoftmax(x, r * n, 1, n, p);
    out[r] = lse - (x[r * n + labels[r]!]! - max);
  }
  const y = new Tensor(out, logits.shape.slice(0, -1), dtype);
  return record(y, [logits], (dy) => {
    const g = allocate(dtype, logits.size);
    for (let r = 0; r < rows; r++) {
      sliceSoftmax(x, r * n, 1, n, p);
      const d = dy.values[r]!;
      for (let j = 0; j < n; j++) g[r * n + j] = (p[j]! - (j === labels[r] ? 1 : 0)) * d;
    }
    return [new Tensor(g, logits.shape, dtype)];
  });
}
