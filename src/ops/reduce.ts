/** Reductions: sum, mean, max over axes, with gradients. */
import { record } from '../autodiff/tape.js';
import { allocate } from '../tensor/dtype.js';
import { normalizeAxis, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { toTensor, type TensorOrNumber } from './convert.js';
import { broadcastTo, reshape } from './shape-ops.js';

type Axis = number | readonly number[] | undefined;

function axesOf(axis: Axis, rank: number, context: string): number[] {
  if (axis === undefined) return [...Array(rank).keys()];
  const list = typeof axis === 'number' ? [axis] : [...axis];
  return [...new Set(list.map((a) => normalizeAxis(a, rank, context)))].sort((a, b) => a - b);
}

/** Shape after reducing `axes` (kept as 1s when keepDims). */
function reducedShape(shape: readonly number[], axes: number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(d);
  });
  return out;
}

/**
 * Generic reduction: `init`, `step(acc, v)` and `finish(acc, n)` over the elements of each output cell.
 * Accumulates in float64.
 */
function reduce(
  t: Tensor,
  axes: number[],
  keepDims: boolean,
  init: number,
  step: (acc: number, v: number) => number,
  finish: (acc: number, n: number) => number,
): Tensor {
  const shape = t.shape;
  const keptShape = reducedShape(shape, axes, true);
  const outSize = sizeOf(keptShape);
  const acc = new Float64Array(outSize).fill(init);
  const rank = shape.length;
  // Strides of the output (keepDims layout) per input axis, 0 along reduced axes.
  const outStrides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    outStrides[d] = axes.includes(d) ? 0 : s;
    s *= keptShape[d]!;
  }
  const idx = new Array<number>(rank).fill(0);
  let o = 0;
  const v = t.values;
  for (let i = 0; i < t.size; i++) {
    acc[o] = step(acc[o]!, v[i]!);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      o += outStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      o -= outStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  const n = outSize === 0 ? 0 : t.size / outSize;
  const dtype = t.dtype === 'float64' ? 'float64' : 'float32';
  const out = allocate(dtype, outSize);
  for (let i = 0; i < outSize; i++) out[i] = finish(acc[i]!, n);
  return new Tensor(out, reducedShape(shape, axes, keepDims), dtype);
}

/** Sum over `axis` (all axes when omitted). */
export function sum(x: TensorOrNumber, axis?: Axis, keepDims = false): Tensor {
  const t = toTensor(x, 'sum');
  const axes = axesOf(axis, t.rank, 'sum');
  const out = reduce(
    t,
    axes,
    keepDims,
    0,
    (a, v) => a + v,
    (a) => a,
  );
  return record(out, [t], (dy) => [broadcastTo(reshape(dy, reducedShape(t.shape, axes, true)), t.shape)]);
}

/** Mean over `axis` (all axes when omitted). */
export function mean(x: TensorOrNumber, axis?: Axis, keepDims = false): Tensor {
  const t = toTensor(x, 'mean');
  const axes = axesOf(axis, t.rank, 'mean');
  const out = reduce(
    t,
    axes,
    keepDims,
    0,
    (a, v) => a + v,
    (a, n) => a / n,
  );
  const n = out.size === 0 ? 1 : t.size / out.size;
  return record(out, [t], (dy) => {
    const g = broadcastTo(reshape(dy, reducedShape(t.shape, axes, true)), t.shape);
    const vals = g.values.slice();
    for (let i = 0; i < vals.length; i++) vals[i] = vals[i]! / n;
    return [new Tensor(vals, t.shape, g.dtype)];
  });
}

/** Maximum over `axis`; the gradient is shared equally by the elements equal to the maximum (as TF and JAX). */
export function max(x: TensorOrNumber, axis?: Axis, keepDims = false): Tensor {
  const t = toTensor(x, 'max');
  const axes = axesOf(axis, t.rank, 'max');
  const out = reduce(
    t,
    axes,
    keepDims,
    -Infinity,
    (a, v) => (v > a || Number.isNaN(v) ? v : a),
    (a) => a,
  );
  return record(out, [t], (dy) => {
    const kept = reducedShape(t.shape, axes, true);
    const m = broadcastTo(reshape(out, kept), t.shape).values;
    const g = broadcastTo(reshape(dy, kept), t.shape);
    const isMax = new Float64Array(t.size);
    for (let i = 0; i < t.size; i++) isMax[i] = t.values[i] === m[i] ? 1 : 0;
    // Ties per output cell, broadcast back: the count each maximal element divides its share by.
    const ties = broadcastTo(reshape(sum(new Tensor(isMax, t.shape, 'float64'), axes, true), kept), t.shape).values;
    const vals = g.values.slice();
    for (let i = 0; i < vals.length; i++) vals[i] = isMax[i] ? vals[i]! / ties[i]! : 0;
    return [new Tensor(vals, t.shape, g.dtype)];
  });
}
