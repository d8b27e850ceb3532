/**
 * What `call` receives, normalized for layers that take one tensor: the input itself (a one-element list is
 * unwrapped, a longer list refused) and one mask (Keras's `tree.flatten(mask)[0]` for a list of masks).
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { CallOptions } from './layer.js';

/** The single input tensor of a one-input layer. */
export function singleInput(inputs: unknown, context: string): Tensor {
  const x = Array.isArray(inputs) && inputs.length === 1 ? (inputs[0] as unknown) : inputs;
  if (!(x instanceof Tensor)) {
    throw new InvalidArgumentError({ argument: 'inputs', expected: 'one tensor', received: inputs, context });
  }
  return x;
}

/** The first mask of `mask` (a list of masks gives its first, as Keras's RNN and Bidirectional do). */
export function singleMask(mask: CallOptions['mask'], context: string): Tensor | null {
  const m: unknown = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
  if (m !== null && !(m instanceof Tensor)) {
    throw new InvalidArgumentError({ argument: 'mask', expected: 'a tensor or null', received: m, context });
  }
  return m;
}

/** Checks that `mask` is `[B,T]` for inputs `[B,T,...]`. */
export function checkSequenceMask(mask: Tensor | null, inputs: Tensor, context: string): Tensor | null {
  if (mask === null) return null;
  if (mask.rank !== 2 || mask.shape[0] !== inputs.shape[0] || mask.shape[1] !== inputs.shape[1]) {
    throw new ShapeError({
      argument: 'mask',
      expected: `a tensor of shape [${inputs.shape[0]}, ${inputs.shape[1]}] (batch, timesteps)`,
      received: formatShape(mask.shape),
      context,
    });
  }
  return mask;
}
