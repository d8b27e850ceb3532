/**
 * The Orthogonal initializer and the Householder QR it needs (float64).
 *
 * As Keras 3: a shape [..., cols] is treated as a matrix [rows, cols], rows = product of all but the last
 * dimension. A standard normal matrix [max(rows, cols), min(rows, cols)] is factored A = QR; Q's columns are
 * multiplied by sign(diag R) (making the factorization unique), Q is transposed when rows < cols, and scaled
 * by `gain`. So the result has orthonormal columns when rows ≥ cols and orthonormal rows otherwise — a GRU
 * recurrent kernel [U, 3U] gets orthonormal rows across all three gate blocks.
 */
import { ShapeError } from '../errors.js';
import { ConfigReader } from '../serialization/serialize-object.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkCall, checkFinite, Initializer, Seed } from './initializer.js';

/**
 * Thin QR of a [m, n] row-major matrix with m ≥ n by Householder reflections, in float64.
 * Returns q [m, n] (orthonormal columns) and the diagonal of r [n]. `a` is not modified.
 */
export function householderQR(a: Float64Array, m: number, n: number): { q: Float64Array; rDiag: Float64Array } {
  if (m < n) {
    throw new ShapeError({
      argument: 'a',
      expected: 'a matrix with at least as many rows as columns',
      received: `[${m}, ${n}]`,
      context: 'householderQR',
    });
  }
  const r = Float64Array.from(a);
  const rDiag = new Float64Array(n);
  // Householder vector k lives in rows k..m-1; stored unit-norm, or null when the column is already zero.
  const vs: (Float64Array | null)[] = [];
  for (let k = 0; k < n; k++) {
    const len = m - k;
    const v = new Float64Array(len);
    let norm2 = 0;
    for (let i = 0; i < len; i++) {
      v[i] = r[(k + i) * n + k]!;
      norm2 += v[i]! * v[i]!;
    }
    const norm = Math.sqrt(norm2);
    // Reflect x onto alpha·e1 with alpha = −sign(x0)·|x|, avoiding cancellation in v0 = x0 − alpha.
    const alpha = v[0]! >= 0 ? -norm : norm;
    v[0] = v[0]! - alpha;
    let vNorm2 = 0;
    for (let i = 0; i < len; i++) vNorm2 += v[i]! * v[i]!;
    if (vNorm2 === 0) {
      vs.push(null);
      rDiag[k] = r[k * n + k]!;
      continue;
    }
    const inv = 1 / Math.sqrt(vNorm2);
    for (let i = 0; i < len; i++) v[i] = v[i]! * inv;
    // R[k:, k:] -= 2 v (vᵀ R[k:, k:])
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += v[i]! * r[(k + i) * n + j]!;
      dot *= 2;
      for (let i = 0; i < len; i++) r[(k + i) * n + j] = r[(k + i) * n + j]! - dot * v[i]!;
    }
    vs.push(v);
    rDiag[k] = r[k * n + k]!;
  }
  // Q = H0 H1 ... H(n-1) applied to the first n columns of the identity, last reflector first.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    if (v === null || v === undefined) continue;
    const len = m - k;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += v[i]! * q[(k + i) * n + j]!;
      dot *= 2;
      if (dot === 0) continue;
      for (let i = 0; i < len; i++) q[(k + i) * n + j] = q[(k + i) * n + j]! - dot * v[i]!;
    }
  }
  return { q, rDiag };
}

export interface OrthogonalOptions {
  gain?: number;
  seed?: number | null;
}

/** Orthogonal matrix (see the file comment), times `gain` (default 1). Config `{ seed, gain }`. */
export class Orthogonal extends Initializer {
  readonly className: string = 'Orthogonal';
  readonly gain: number;
  readonly seed: Seed;

  constructor(options: OrthogonalOptions = {}) {
    super();
    this.gain = checkFinite(options.gain ?? 1, 'gain', 'Orthogonal');
    this.seed = new Seed(options.seed, 'Orthogonal');
  }

  call(shape: readonly number[], dtype?: DType): Tensor {
    const c = checkCall(this.className, shape, dtype, true);
    if (c.shape.length < 2) {
      throw new ShapeError({
        argument: 'shape',
        expected: 'a shape of rank ≥ 2',
        received: formatShape(c.shape),
        context: 'Orthogonal.call',
      });
    }
    const rows = sizeOf(c.shape.slice(0, -1));
    const cols = c.shape[c.shape.length - 1]!;
    const out = allocate(c.dtype, rows * cols);
    if (rows === 0 || cols === 0) return new Tensor(out, c.shape, c.dtype);
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const rng = this.seed.generator();
    const a = new Float64Array(m * n);
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    const { q, rDiag } = householderQR(a, m, n);
    // sign(0) is taken as +1 so that a (measure-zero) zero pivot cannot zero a column.
    const signs = Array.from(rDiag, (d) => (d < 0 ? -1 : 1));
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = this.gain * signs[j]! * q[i * n + j]!;
        // q is [m, n]; when rows < cols the result is qᵀ [n, m] = [rows, cols].
        if (rows >= cols) out[i * n + j] = v;
        else out[j * m + i] = v;
      }
    }
    return new Tensor(out, c.shape, c.dtype);
  }

  getConfig(): Record<string, unknown> {
    return { seed: this.seed.initial, gain: this.gain };
  }

  static fromConfig(r: ConfigReader): Orthogonal {
    const options = { seed: r.integerOrNull('seed', null), gain: r.number('gain', 1) };
    r.finish();
    return new Orthogonal(options);
  }
}
