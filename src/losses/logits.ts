/**
 * Keras's `_keras_logits`: Keras's `sigmoid` and `softmax` activations attach their input (the logits) to their
 * output, and on the TensorFlow backend the crossentropy losses then compute from those logits instead of the
 * clipped probabilities. That changes the numbers (no ε-clipping, no saturation), so a model ending in a sigmoid
 * or softmax trains exactly like Keras only if its output carries its logits too.
 *
 * `attachLogits(output, logits)` is for activations to call; the binary and categorical crossentropy losses
 * (and the sparse one) read `logitsOf(yPred)`. The table holds tensors weakly: it keeps nothing alive.
 */
import type { Tensor } from '../tensor/tensor.js';

const LOGITS = new WeakMap<Tensor, Tensor>();

/** Records that `output` = sigmoid or softmax of `logits`; returns `output`. */
export function attachLogits(output: Tensor, logits: Tensor): Tensor {
  LOGITS.set(output, logits);
  return output;
}

/** The logits `output` was computed from by a sigmoid or softmax activation, or null. */
export function logitsOf(output: Tensor): Tensor | null {
  return LOGITS.get(output) ?? null;
}
