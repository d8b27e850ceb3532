/**
 * The inverted-dropout keep mask Keras draws (`backend.random.dropout` on ones): each element is kept with
 * probability 1 − rate and scaled by 1/(1 − rate), else 0. Used by the Dropout layer and by GRU's dropout.
 */
import { allocate } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Random } from './rng.js';

export function drawKeepMask(
  random: Random,
  rate: number,
  shape: readonly number[],
  dtype: 'float32' | 'float64',
): Tensor {
  const values = allocate(dtype, sizeOf(shape));
  // rate 1 drops everything (Keras returns zeros rather than scaling by 1/0).
  const scale = rate === 1 ? 0 : 1 / (1 - rate);
  for (let i = 0; i < values.length; i++) values[i] = random.uniform() >= rate ? scale : 0;
  return new Tensor(values, shape, dtype);
}
