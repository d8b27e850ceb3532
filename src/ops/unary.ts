/**
 * Elementwise unary ops. Each is a scalar function and its derivative, so the op, its gradient rule and any
 * fused kernel that applies it share one definition.
 */
import { record } from '../autodiff/tape.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { toTensor, type TensorOrNumber } from './convert.js';

/** A scalar function with its derivative; `df(x, y)` may use the output `y = f(x)`. */
export interface ScalarFunction {
  readonly name: string;
  readonly f: (x: number) => number;
  readonly df: (x: number, y: number) => number;
}

/** Applies a scalar function elementwise, recording its gradient. Ints and bools compute in float32. */
export function applyUnary(fn: ScalarFunction, x: TensorOrNumber): Tensor {
  const t = toTensor(x, fn.name);
  const dtype = t.dtype === 'float64' ? 'float64' : 'float32';
  const out = allocate(dtype, t.size);
  const v = t.values;
  for (let i = 0; i < out.length; i++) out[i] = fn.f(v[i]!);
  const y = new Tensor(out, t.shape, dtype);
  return record(y, [t], (dy) => {
    const g = allocate(dtype, t.size);
    const yv = y.values;
    const dv = dy.values;
    for (let i = 0; i < g.length; i++) g[i] = dv[i]! * fn.df(v[i]!, yv[i]!);
    return [new Tensor(g, t.shape, dtype)];
  });
}

/** Defines a differentiable unary op from a scalar function and its derivative. */
export function defineUnary(name: string, f: (x: number) => number, df: (x: number, y: number) => number) {
  const fn: ScalarFunction = { name, f, df };
  const op = (x: TensorOrNumber): Tensor => applyUnary(fn, x);
  return Object.assign(op, { scalar: fn });
}

export const sigmoidScalar = (x: number): number => {
  // Stable on both tails: exp of a non-positive number only.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

export const exp = defineUnary('exp', Math.exp, (_x, y) => y);
export const log = defineUnary('log', Math.log, (x) => 1 / x);
export const sqrt = defineUnary('sqrt', Math.sqrt, (_x, y) => 0.5 / y);
export const square = defineUnary(
  'square',
  (x) => x * x,
  (x) => 2 * x,
);
export const abs = defineUnary('abs', Math.abs, (x) => (x > 0 ? 1 : x < 0 ? -1 : 0));
export const sign = defineUnary(
  'sign',
  (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  () => 0,
);
export const reciprocal = defineUnary(
  'reciprocal',
  (x) => 1 / x,
  (x) => -1 / (x * x),
);
export const sigmoid = defineUnary('sigmoid', sigmoidScalar, (_x, y) => y * (1 - y));
export const tanh = defineUnary('tanh', Math.tanh, (_x, y) => 1 - y * y);
export const relu = defineUnary(
  'relu',
  (x) => (x > 0 ? x : 0),
  (x) => (x > 0 ? 1 : 0),
);
export const softplus = defineUnary(
  'softplus',
  (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  (x) => sigmoidScalar(x),
);
export const log1p = defineUnary('log1p', Math.log1p, (x) => 1 / (1 + x));
export const expm1 = defineUnary('expm1', Math.expm1, (_x, y) => y + 1);
export const floor = defineUnary('floor', Math.floor, () => 0);
export const round = defineUnary(
  'round',
  (x) => {
    // Banker's rounding, as NumPy and TensorFlow round.
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  () => 0,
);

/** Clips values to [lo, hi]; the gradient passes where lo ≤ x ≤ hi. */
export function clipByValue(x: TensorOrNumber, lo: number, hi: number): Tensor {
  return applyUnary(
    { name: 'clipByValue', f: (v) => Math.min(hi, Math.max(lo, v)), df: (v) => (v >= lo && v <= hi ? 1 : 0) },
    x,
  );
}
