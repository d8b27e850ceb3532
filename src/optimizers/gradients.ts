/**
 * Gradient arithmetic shared by the optimizers: working precision, the cast of a gradient to its variable's
 * dtype, and Keras's three clipping modes.
 */
import type { Tensor } from '../tensor/tensor.js';

/** Rounds a double to the working precision: `Math.fround` for float32, identity for float64. */
export type Round = (x: number) => number;

export const identity: Round = (x) => x;

export function roundFor(dtype: string): Round {
  return dtype === 'float64' ? identity : Math.fround;
}

/** The gradient's values in double, each rounded to the variable's dtype (Keras's `ops.cast(gradient, ...)`). */
export function castGradient(g: Tensor, round: Round): Float64Array {
  const out = new Float64Array(g.size);
  for (let i = 0; i < out.length; i++) out[i] = round(g.values[i]!);
  return out;
}

/** Σ x², accumulated in double and rounded once (TensorFlow reduces in float32 in its own order). */
function sumOfSquares(g: Float64Array, round: Round): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += round(g[i]! * g[i]!);
  return round(s);
}

export interface ClipOptions {
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
}

/**
 * Keras's `_clip_gradients`: `clipnorm` (each gradient to that L2 norm, as tf.clip_by_norm), else
 * `globalClipnorm` (all gradients scaled together), else `clipvalue` (elementwise). `dtypes` are the variables'.
 */
export function clipGradients(grads: Float64Array[], dtypes: readonly string[], clip: ClipOptions): Float64Array[] {
  if (clip.clipnorm !== null) {
    const cn = clip.clipnorm;
    return grads.map((g, i) => {
      // tf.clip_by_norm: g·c / max(‖g‖, c), with ‖g‖ = 0 kept as 0.
      const r = roundFor(dtypes[i]!);
      const c = r(cn);
      const norm = r(Math.sqrt(sumOfSquares(g, r)));
      const denom = Math.max(norm, c);
      return g.map((x) => r(r(x * c) / denom));
    });
  }
  if (clip.globalClipnorm !== null) {
    // Keras's clip_by_global_norm: scale = c · min(1/‖g‖, 1/c), made NaN when the norm is not finite.
    const r = dtypes.every((d) => d === 'float64') ? identity : Math.fround;
    let total = 0;
    for (const g of grads) total += sumOfSquares(g, r);
    const norm = r(Math.sqrt(r(total)));
    const c = r(clip.globalClipnorm);
    const scale = r(r(c * Math.min(r(1 / norm), r(1 / clip.globalClipnorm))) + r(norm - norm));
    return grads.map((g, i) => {
      const rv = roundFor(dtypes[i]!);
      return g.map((x) => rv(x * scale));
    });
  }
  if (clip.clipvalue !== null) {
    const cv = clip.clipvalue;
    return grads.map((g, i) => {
      const c = roundFor(dtypes[i]!)(cv);
      return g.map((x) => Math.min(c, Math.max(-c, x)));
    });
  }
  return grads;
}
