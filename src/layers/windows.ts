/**
 * What 1-D convolution and pooling layers share: Keras's `padding` modes turned into padded steps, the output
 * length, the checks of tuple arguments (`pool_size`, `strides`, ... written as a number or a one-element list)
 * and the channels_first layout (moved to [B, T, C] for the computation and back).
 */
import { InvalidArgumentError } from '../errors.js';
import { frameCount } from '../ops/frames.js';
import { transpose } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DataFormat } from './reshaping.js';

export type Padding = 'valid' | 'same' | 'causal';

/** A positive integer given as `n` or `[n]` (Keras's `standardize_tuple` for one dimension). */
export function oneTuple(value: unknown, argument: string, context: string): number {
  const v = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new InvalidArgumentError({
      argument,
      expected: 'a positive integer or a one-element list of one',
      received: value,
      context,
    });
  }
  return v;
}

export function checkPadding(value: unknown, allowCausal: boolean, context: string): Padding {
  const v = typeof value === 'string' ? value.toLowerCase() : value;
  if (v === 'valid' || v === 'same' || (allowCausal && v === 'causal')) return v;
  throw new InvalidArgumentError({
    argument: 'padding',
    expected: allowCausal ? "'valid', 'same' or 'causal'" : "'valid' or 'same'",
    received: value,
    context,
  });
}

export function checkDataFormat(value: unknown, context: string): DataFormat {
  const v = value ?? 'channels_last';
  if (v === 'channels_last' || v === 'channels_first') return v;
  throw new InvalidArgumentError({
    argument: 'dataFormat',
    expected: "'channels_last' or 'channels_first'",
    received: value,
    context,
  });
}

/**
 * Padded steps before and after a sequence of `steps`: none for 'valid'; for 'same' enough that there are
 * ⌈steps / stride⌉ windows, split with the odd step after (TensorFlow's and Keras's rule); for 'causal' the
 * window span minus one, all before.
 */
export function paddingOf(
  steps: number,
  size: number,
  stride: number,
  dilation: number,
  padding: Padding,
): { padBefore: number; padAfter: number } {
  const span = (size - 1) * dilation + 1;
  if (padding === 'valid') return { padBefore: 0, padAfter: 0 };
  if (padding === 'causal') return { padBefore: span - 1, padAfter: 0 };
  const total = Math.max((Math.ceil(steps / stride) - 1) * stride + span - steps, 0);
  return { padBefore: Math.floor(total / 2), padAfter: total - Math.floor(total / 2) };
}

/** The output length for `steps` (null: unknown). */
export function outputSteps(
  steps: number | null,
  size: number,
  stride: number,
  dilation: number,
  padding: Padding,
): number | null {
  if (steps === null) return null;
  return frameCount(steps, { size, stride, dilation, ...paddingOf(steps, size, stride, dilation, padding) });
}

/** [B, C, T] ↔ [B, T, C] when channels come first; the tensor itself otherwise. */
export function toStepsLast(x: Tensor, format: DataFormat): Tensor {
  return format === 'channels_first' ? transpose(x, [0, 2, 1]) : x;
}
