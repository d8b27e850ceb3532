/** Matrix product through the backend's GEMM, with its gradient. */
import { record } from '../autodiff/tape.js';
import { getBackend } from '../backend/registry.js';
import { ShapeError } from '../errors.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { reshape } from './shape-ops.js';
import { sumToShape } from './broadcast.js';

/**
 * a [..., m, k] · b [k, n] → [..., m, n] (leading axes of `a` are flattened into rows), or with 2-D operands
 * and transposes: op(a) [m,k] · op(b) [k,n].
 */
export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank < 2 || b.rank !== 2 || (transposeA && a.rank !== 2)) {
    throw new ShapeError({
      argument: a.rank < 2 ? 'a' : 'b',
      expected: 'a of rank ≥ 2 (rank 2 when transposed) and b of rank 2',
      received: `a ${formatShape(a.shape)}, b ${formatShape(b.shape)}`,
      context: 'matMul',
    });
  }
  const lead = a.shape.slice(0, -2);
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const m = transposeA ? ac : sizeOf(lead) * ar;
  const k = transposeA ? ar : ac;
  const [br, bc] = b.shape as [number, number];
  const kb = transposeB ? bc : br;
  const n = transposeB ? br : bc;
  if (k !== kb) {
    throw new ShapeError({
      argument: 'b',
      expected: `${k} rows to match a ${formatShape(a.shape)}${transposeA ? ' transposed' : ''}`,
      received: `${formatShape(b.shape)}${transposeB ? ' transposed' : ''}`,
      context: 'matMul',
    });
  }
  const dtype = a.dtype === 'float64' && b.dtype === 'float64' ? 'float64' : 'float32';
  const av = a.dtype === dtype ? a.values : Float32Array.from(a.values);
  const bv = b.dtype === dtype ? b.values : Float32Array.from(b.values);
  const out = dtype === 'float64' ? new Float64Array(m * n) : new Float32Array(m * n);
  getBackend().matMul({ a: av as Float32Array, b: bv as Float32Array, out, m, k, n, transposeA, transposeB });
  const shape = transposeA ? [m, n] : [...lead, ar, n];
  const y = new Tensor(out, shape, dtype);
  return record(y, [a, b], (dy) => {
    const dy2 = reshape(dy, [m, n]);
    // y = op(a)·op(b): d op(a) = dy·op(b)ᵀ, d op(b) = op(a)ᵀ·dy.
    const a2 = transposeA ? a : reshape(a, [m, k]);
    const da = transposeA ? matMul(b, dy2, transposeB, true) : matMul(dy2, b, false, !transposeB);
    const db = transposeB ? matMul(dy2, a2, true, transposeA) : matMul(a2, dy2, !transposeA, false);
    return [sumToShape(reshape(da, a.shape), a.shape), db];
  });
}
