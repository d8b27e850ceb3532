/** Turning op arguments into tensors. */
import { InvalidArgumentError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor, tensor } from '../tensor/tensor.js';

export type TensorOrNumber = Tensor | number;

/**
 * `x` as a tensor; a number becomes a scalar of float32, or float64 next to a float64 tensor, or int32 next to
 * an int32 tensor when it is an integer (so `neg(ids)` and `add(ids, 1)` stay int32, as in Keras).
 */
export function toTensor(x: TensorOrNumber, context: string, like?: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') {
    const dtype = like === 'float64' ? 'float64' : like === 'int32' && Number.isInteger(x) ? 'int32' : 'float32';
    return tensor(x, [], dtype);
  }
  throw new InvalidArgumentError({ argument: 'x', expected: 'a Tensor or a number', received: x, context });
}

/** Both operands as tensors; a plain number takes the float dtype of the other operand. */
export function toTensorPair(a: TensorOrNumber, b: TensorOrNumber, context: string): [Tensor, Tensor] {
  if (typeof a === 'number' && b instanceof Tensor) return [toTensor(a, context, b.dtype), b];
  const ta = toTensor(a, context);
  return [ta, toTensor(b, context, ta.dtype)];
}
