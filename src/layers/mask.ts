/**
 * Keras's `_keras_mask`: a layer that supports masking attaches the mask of its output to the output tensor,
 * and the next layer called on that tensor picks it up. The table holds tensors weakly.
 */
import type { Tensor } from '../tensor/tensor.js';

const MASKS = new WeakMap<Tensor, Tensor>();

/** Records `mask` ([B,T], 1 = keep) as the mask of `t`; null clears it. Returns `t`. */
export function attachMask(t: Tensor, mask: Tensor | null): Tensor {
  if (mask === null) MASKS.delete(t);
  else MASKS.set(t, mask);
  return t;
}

/** The mask attached to `t`, or null. */
export function maskOf(t: Tensor): Tensor | null {
  return MASKS.get(t) ?? null;
}
