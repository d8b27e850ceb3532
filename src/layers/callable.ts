/**
 * What a model needs from a layer to chain it with others: call it with a training flag and a mask, and know
 * its output shape and output mask without running it (Keras's `__call__`, `compute_output_shape` and
 * `compute_mask`). Layers implement `apply`, and `computeOutputShape` / `computeMask` where they can; the
 * recurrent layers get theirs here.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Layer, Shape } from './layer.js';
import { RNN } from './rnn.js';

export interface LayerCallOptions {
  /** Training mode (dropout applies). Default false. */
  training?: boolean;
  /** The mask of the input, `[B,T]` (1 = keep), passed along between layers. */
  mask?: Tensor | null;
}

/** A layer that can be called on a tensor. */
export interface CallableLayer extends Layer {
  apply(inputs: Tensor, options?: LayerCallOptions): Tensor | Tensor[];
  /** The output shape for an input shape (batch first, null = unknown); a list for multi-output layers. */
  computeOutputShape?(inputShape: Shape): Shape | Shape[];
  /** The output mask for an input and its mask (Keras's `compute_mask`). Default: the input mask unchanged. */
  computeMask?(inputs: Tensor, mask: Tensor | null): Tensor | null;
}

export function isCallableLayer(layer: Layer): layer is CallableLayer {
  return typeof (layer as Partial<CallableLayer>).apply === 'function';
}

/** The output shape(s) of `layer` for inputs of `inputShape`. */
export function outputShapeOf(layer: Layer, inputShape: Shape): Shape | Shape[] {
  if (layer instanceof RNN) {
    const [batch, steps] = inputShape;
    const units = layer.cell.outputSize;
    const output: Shape = layer.returnSequences ? [batch ?? null, steps ?? null, units] : [batch ?? null, units];
    return layer.returnState ? [output, [batch ?? null, layer.cell.stateSize]] : output;
  }
  const callable = layer as Partial<CallableLayer>;
  if (typeof callable.computeOutputShape === 'function') return callable.computeOutputShape(inputShape);
  throw new InvalidArgumentError({
    argument: 'layer',
    expected: 'a layer that reports its output shape (computeOutputShape)',
    received: `${layer.className} '${layer.name}'`,
  });
}

/**
 * The mask `layer` passes on, as Keras's `compute_mask`: a recurrent layer passes its input mask on only when
 * it returns sequences; other layers decide in `computeMask`, else pass the mask through.
 */
export function outputMaskOf(layer: Layer, inputs: Tensor, mask: Tensor | null): Tensor | null {
  if (layer instanceof RNN) return layer.returnSequences ? mask : null;
  const callable = layer as Partial<CallableLayer>;
  if (typeof callable.computeMask === 'function') return callable.computeMask(inputs, mask);
  return mask;
}
