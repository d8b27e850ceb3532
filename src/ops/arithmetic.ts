/** Broadcasting arithmetic: add, sub, mul, div, maximum, minimum, pow, and their gradients. */
import { record } from '../autodiff/tape.js';
import { Tensor } from '../tensor/tensor.js';
import { binaryResultDType, broadcastBinary, sumToShape } from './broadcast.js';
import { toTensor, toTensorPair, type TensorOrNumber } from './convert.js';

function binary(
  name: string,
  a: TensorOrNumber,
  b: TensorOrNumber,
  f: (x: number, y: number) => number,
  grad: (dy: Tensor, ta: Tensor, tb: Tensor, out: Tensor) => [Tensor | null, Tensor | null],
  floatResult = false,
): Tensor {
  const [ta, tb] = toTensorPair(a, b, name);
  const dtype = binaryResultDType(ta.dtype, tb.dtype);
  // floatResult: int32 / int32 is a true division (Keras's `divide`), not one truncated into an Int32Array.
  const out = broadcastBinary(ta, tb, f, floatResult && dtype === 'int32' ? 'float32' : dtype, name);
  return record(out, [ta, tb], (dy) => {
    const [ga, gb] = grad(dy, ta, tb, out);
    return [ga === null ? null : sumToShape(ga, ta.shape), gb === null ? null : sumToShape(gb, tb.shape)];
  });
}

/** a + b, broadcasting. */
export function add(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary(
    'add',
    a,
    b,
    (x, y) => x + y,
    (dy) => [dy, dy],
  );
}

/** a − b, broadcasting. */
export function sub(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary(
    'sub',
    a,
    b,
    (x, y) => x - y,
    (dy) => [dy, neg(dy)],
  );
}

/** a ⊙ b (elementwise), broadcasting. */
export function mul(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary(
    'mul',
    a,
    b,
    (x, y) => x * y,
    (dy, ta, tb) => [mul(dy, tb), mul(dy, ta)],
  );
}

/** a / b (elementwise), broadcasting. */
export function div(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary(
    'div',
    a,
    b,
    (x, y) => x / y,
    (dy, ta, tb) => [div(dy, tb), neg(div(mul(dy, ta), mul(tb, tb)))],
    true,
  );
}

/** max(a, b) elementwise; the gradient goes to a where a ≥ b. */
export function maximum(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary(
    'maximum',
    a,
    b,
    (x, y) => Math.max(x, y),
    (dy, ta, tb) => [mul(dy, ge(ta, tb)), mul(dy, lt(ta, tb))],
  );
}

/** min(a, b) elementwise; the gradient goes to a where a ≤ b. */
export function minimum(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary(
    'minimum',
    a,
    b,
    (x, y) => Math.min(x, y),
    (dy, ta, tb) => [mul(dy, le(ta, tb)), mul(dy, gt(ta, tb))],
  );
}

/** a ** b elementwise. */
export function pow(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary(
    'pow',
    a,
    b,
    (x, y) => x ** y,
    (dy, ta, tb, out) => [
      mul(
        dy,
        mul(
          tb,
          binaryNoGrad(ta, sub(tb, 1), (x, y) => x ** y),
        ),
      ),
      mul(
        dy,
        mul(
          out,
          binaryNoGrad(ta, ta, (x) => (x > 0 ? Math.log(x) : 0)),
        ),
      ),
    ],
  );
}

/** −x. */
export function neg(x: TensorOrNumber): Tensor {
  const t = toTensor(x, 'neg');
  return mul(t, -1);
}

function binaryNoGrad(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  return broadcastBinary(a, b, f, binaryResultDType(a.dtype, b.dtype), 'pow');
}

function compare(a: TensorOrNumber, b: TensorOrNumber, f: (x: number, y: number) => boolean, name: string): Tensor {
  const [ta, tb] = toTensorPair(a, b, name);
  const float = ta.dtype === 'float64' || tb.dtype === 'float64' ? 'float64' : 'float32';
  return broadcastBinary(ta, tb, (x, y) => (f(x, y) ? 1 : 0), float, name);
}

/** 1 where a > b else 0 (float; not differentiable). */
export const gt = (a: TensorOrNumber, b: TensorOrNumber): Tensor => compare(a, b, (x, y) => x > y, 'gt');
/** 1 where a ≥ b else 0. */
export const ge = (a: TensorOrNumber, b: TensorOrNumber): Tensor => compare(a, b, (x, y) => x >= y, 'ge');
/** 1 where a < b else 0. */
export const lt = (a: TensorOrNumber, b: TensorOrNumber): Tensor => compare(a, b, (x, y) => x < y, 'lt');
/** 1 where a ≤ b else 0. */
export const le = (a: TensorOrNumber, b: TensorOrNumber): Tensor => compare(a, b, (x, y) => x <= y, 'le');
/** 1 where a = b else 0. */
export const equal = (a: TensorOrNumber, b: TensorOrNumber): Tensor => compare(a, b, (x, y) => x === y, 'equal');
/** 1 where a ≠ b else 0. */
export const notEqual = (a: TensorOrNumber, b: TensorOrNumber): Tensor => compare(a, b, (x, y) => x !== y, 'notEqual');
