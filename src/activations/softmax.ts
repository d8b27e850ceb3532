/**
 * The activations that act along an axis rather than elementwise: softmax, log_softmax, sparsemax and glu.
 * Each computes one slice at a time in double precision, stores in the input's float dtype, and records its
 * gradient rule right here.
 */
import { record } from '../autodiff/tape.js';
import { ShapeError } from '../errors.js';
import { mul } from '../ops/arithmetic.js';
import { toTensor, type TensorOrNumber } from '../ops/convert.js';
import { split } from '../ops/shape-ops.js';
import { sigmoid } from '../ops/unary.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** A float tensor's layout around `axis`: `outer` slices before it, `n` along it, `inner` after it. */
interface AxisLayout {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

function layoutOf(shape: readonly number[], axis: number): AxisLayout {
  return { outer: sizeOf(shape.slice(0, axis)), n: shape[axis]!, inner: sizeOf(shape.slice(axis + 1)) };
}

/** Calls `fn(base, stride)` for every 1-D slice along the axis; element j of a slice is at base + j·stride. */
function forEachSlice(layout: AxisLayout, fn: (base: number, stride: number) => void): void {
  const { outer, n, inner } = layout;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) fn(o * n * inner + i, inner);
  }
}

function prepare(
  x: TensorOrNumber,
  axis: number,
  name: string,
): { t: Tensor; layout: AxisLayout; dtype: 'float32' | 'float64' } {
  const t = toTensor(x, name);
  if (t.rank === 0) {
    throw new ShapeError({
      argument: 'x',
      expected: 'a tensor of rank ≥ 1',
      received: formatShape(t.shape),
      context: name,
    });
  }
  const ax = normalizeAxis(axis, t.rank, name);
  return { t, layout: layoutOf(t.shape, ax), dtype: t.dtype === 'float64' ? 'float64' : 'float32' };
}

/** The largest element of the slice at `base`, `stride` (n elements). */
function sliceMax(v: ArrayLike<number>, base: number, stride: number, n: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, v[base + j * stride]!);
  return m;
}

/**
 * Runs `forward(v, out, base, stride)` on every slice of x into a fresh float array y, and records the gradient
 * `backward(yv, dv, g, base, stride)`, run on every slice of y and dy into a fresh gradient array g.
 */
function sliceWise(
  prepared: { t: Tensor; layout: AxisLayout; dtype: 'float32' | 'float64' },
  forward: (v: ArrayLike<number>, out: TypedArray, base: number, stride: number) => void,
  backward: (yv: ArrayLike<number>, dv: ArrayLike<number>, g: TypedArray, base: number, stride: number) => void,
): Tensor {
  const { t, layout, dtype } = prepared;
  const out = allocate(dtype, t.size);
  forEachSlice(layout, (base, stride) => forward(t.values, out, base, stride));
  const y = new Tensor(out, t.shape, dtype);
  return record(y, [t], (dy) => {
    const g = allocate(dtype, t.size);
    forEachSlice(layout, (base, stride) => backward(y.values, dy.values, g, base, stride));
    return [new Tensor(g, t.shape, dtype)];
  });
}

/** softmax(x)ᵢ = exp(xᵢ − max x) / Σⱼ exp(xⱼ − max x) along `axis` (default: last). */
export function softmax(x: TensorOrNumber, axis = -1): Tensor {
  const prepared = prepare(x, axis, 'softmax');
  const n = prepared.layout.n;
  const e = new Float64Array(n);
  return sliceWise(
    prepared,
    (v, out, base, stride) => {
      const m = sliceMax(v, base, stride, n);
      let total = 0;
      for (let j = 0; j < n; j++) total += e[j] = Math.exp(v[base + j * stride]! - m);
      for (let j = 0; j < n; j++) out[base + j * stride] = e[j]! / total;
    },
    // dx = y ⊙ (dy − Σ dy ⊙ y) per slice.
    (yv, dv, g, base, stride) => {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += dv[base + j * stride]! * yv[base + j * stride]!;
      for (let j = 0; j < n; j++) {
        const k = base + j * stride;
        g[k] = yv[k]! * (dv[k]! - dot);
      }
    },
  );
}

/** log_softmax(x)ᵢ = xᵢ − max x − log Σⱼ exp(xⱼ − max x) along `axis` (default: last). */
export function logSoftmax(x: TensorOrNumber, axis = -1): Tensor {
  const prepared = prepare(x, axis, 'logSoftmax');
  const n = prepared.layout.n;
  return sliceWise(
    prepared,
    (v, out, base, stride) => {
      const m = sliceMax(v, base, stride, n);
      let total = 0;
      for (let j = 0; j < n; j++) total += Math.exp(v[base + j * stride]! - m);
      const lse = Math.log(total);
      for (let j = 0; j < n; j++) out[base + j * stride] = v[base + j * stride]! - m - lse;
    },
    // dx = dy − softmax(x) · Σ dy per slice, softmax(x) = exp(y).
    (yv, dv, g, base, stride) => {
      let total = 0;
      for (let j = 0; j < n; j++) total += dv[base + j * stride]!;
      for (let j = 0; j < n; j++) {
        const k = base + j * stride;
        g[k] = dv[k]! - Math.exp(yv[k]!) * total;
      }
    },
  );
}

/**
 * sparsemax (Martins & Astudillo, 2016): the Euclidean projection of each slice onto the probability simplex,
 * max(x − τ, 0) with τ chosen so the slice sums to 1.
 */
export function sparsemax(x: TensorOrNumber, axis = -1): Tensor {
  const prepared = prepare(x, axis, 'sparsemax');
  const n = prepared.layout.n;
  const sorted = new Float64Array(n);
  return sliceWise(
    prepared,
    (v, out, base, stride) => {
      for (let j = 0; j < n; j++) sorted[j] = v[base + j * stride]!;
      sorted.sort();
      sorted.reverse();
      // Support size k: the largest j (1-based) with 1 + j·z₍ⱼ₎ > Σ_{i≤j} z₍ᵢ₎.
      let cumulative = 0;
      let k = 0;
      let kSum = 0;
      for (let j = 0; j < n; j++) {
        cumulative += sorted[j]!;
        if (1 + (j + 1) * sorted[j]! > cumulative) {
          k = j + 1;
          kSum = cumulative;
        }
      }
      const tau = (kSum - 1) / k;
      for (let j = 0; j < n; j++) out[base + j * stride] = Math.max(v[base + j * stride]! - tau, 0);
    },
    // On the support S = {y > 0}: dx = dy − mean_S(dy); elsewhere 0.
    (yv, dv, g, base, stride) => {
      let total = 0;
      let count = 0;
      for (let j = 0; j < n; j++) {
        const k = base + j * stride;
        if (yv[k]! > 0) {
          total += dv[k]!;
          count++;
        }
      }
      const meanS = count > 0 ? total / count : 0;
      for (let j = 0; j < n; j++) {
        const k = base + j * stride;
        g[k] = yv[k]! > 0 ? dv[k]! - meanS : 0;
      }
    },
  );
}

/** Gated linear unit: x split in halves a | b along `axis`, then a ⊙ sigmoid(b). */
export function glu(x: TensorOrNumber, axis = -1): Tensor {
  const t = toTensor(x, 'glu');
  const ax = normalizeAxis(axis, t.rank, 'glu');
  const d = t.shape[ax]!;
  if (d % 2 !== 0) {
    throw new ShapeError({
      argument: 'x',
      expected: `an even size along axis ${axis}`,
      received: formatShape(t.shape),
      context: 'glu',
    });
  }
  const [a, b] = split(t, 2, ax) as [Tensor, Tensor];
  return mul(a, sigmoid(b));
}
