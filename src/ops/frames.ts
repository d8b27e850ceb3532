/**
 * Sliding windows over the time axis of a sequence, with padding: the one gather that 1-D convolution and
 * pooling are built from (a convolution is then one matMul, a pooling one reduction), with its gradient.
 */
import { record } from '../autodiff/tape.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export interface FrameOptions {
  /** Window length (taps). */
  size: number;
  /** Steps between window starts. */
  stride: number;
  /** Steps between taps of a window. */
  dilation: number;
  /** Padded steps before and after the sequence. */
  padBefore: number;
  padAfter: number;
  /** The value of padded steps (0 for convolution and average pooling, −∞ for max pooling). */
  padValue: number;
}

/** The number of windows: ⌊(T + padding − (size − 1)·dilation − 1) / stride⌋ + 1, at least 0. */
export function frameCount(steps: number, o: Omit<FrameOptions, 'padValue'>): number {
  const span = (o.size - 1) * o.dilation + 1;
  const padded = steps + o.padBefore + o.padAfter;
  return padded < span ? 0 : Math.floor((padded - span) / o.stride) + 1;
}

/**
 * x [B, T, C] → [B, T_out, size, C]: window t, tap k is step t·stride + k·dilation − padBefore of x, or
 * `padValue` outside [0, T). The gradient sums each window's share back onto the steps it read.
 */
export function frames1d(x: Tensor, o: FrameOptions): Tensor {
  if (x.rank !== 3) {
    throw new ShapeError({
      argument: 'x',
      expected: 'rank 3 [batch, steps, channels]',
      received: formatShape(x.shape),
      context: 'frames1d',
    });
  }
  for (const key of ['size', 'stride', 'dilation'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) {
      throw new InvalidArgumentError({
        argument: key,
        expected: 'a positive integer',
        received: o[key],
        context: 'frames1d',
      });
    }
  }
  const [b, t, c] = x.shape as [number, number, number];
  const out = frameCount(t, o);
  // source[w·size + k] = the step window w, tap k reads, or −1 for padding.
  const source = new Int32Array(out * o.size);
  for (let w = 0; w < out; w++) {
    for (let k = 0; k < o.size; k++) {
      const s = w * o.stride + k * o.dilation - o.padBefore;
      source[w * o.size + k] = s >= 0 && s < t ? s : -1;
    }
  }
  const values = allocate(x.dtype, b * out * o.size * c);
  const xv = x.values;
  for (let n = 0; n < b; n++) {
    for (let j = 0; j < source.length; j++) {
      const s = source[j]!;
      const dst = (n * source.length + j) * c;
      if (s < 0) values.fill(o.padValue, dst, dst + c);
      else values.set(xv.subarray((n * t + s) * c, (n * t + s + 1) * c), dst);
    }
  }
  const y = new Tensor(values, [b, out, o.size, c], x.dtype);
  return record(y, [x], (dy) => {
    const g = allocate(dy.dtype, x.size);
    const dv = dy.values;
    for (let n = 0; n < b; n++) {
      for (let j = 0; j < source.length; j++) {
        const s = source[j]!;
        if (s < 0) continue;
        const src = (n * source.length + j) * c;
        const dst = (n * t + s) * c;
        for (let i = 0; i < c; i++) g[dst + i] = g[dst + i]! + dv[src + i]!;
      }
    }
    return [new Tensor(g, x.shape, dy.dtype)];
  });
}
