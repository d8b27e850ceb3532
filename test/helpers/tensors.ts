/** Small tensors written by hand, and the check of a result's shape, dtype and values, for the op tests. */
import { expect } from 'vitest';
import type { DType } from '../../src/tensor/dtype.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';

export const f32 = (values: number[][] | number[] | number, shape?: number[]): Tensor =>
  tensor(values, shape, 'float32');
export const f64 = (values: number[][] | number[] | number, shape?: number[]): Tensor =>
  tensor(values, shape, 'float64');
export const i32 = (values: number[][] | number[] | number, shape?: number[]): Tensor => tensor(values, shape, 'int32');

/** Checks shape, dtype and values (close to float32 precision for float32 results, 1e-12 for float64). */
export function expectTensor(t: Tensor, shape: number[], values: number[], dtype?: DType): void {
  expect(t.shape).toEqual(shape);
  if (dtype !== undefined) expect(t.dtype).toBe(dtype);
  expect(t.size).toBe(values.length);
  const digits = t.dtype === 'float64' ? 12 : 6;
  values.forEach((v, i) => {
    if (Number.isNaN(v)) expect(t.values[i]).toBeNaN();
    else if (!Number.isFinite(v)) expect(t.values[i]).toBe(v);
    else expect(t.values[i]).toBeCloseTo(v, digits);
  });
}
