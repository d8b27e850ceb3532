/** The public tensor ops. */
export { add, sub, mul, div, maximum, minimum, pow, neg, gt, ge, lt, le, equal, notEqual } from './arithmetic.js';
export {
  exp,
  log,
  sqrt,
  square,
  abs,
  sign,
  reciprocal,
  sigmoid,
  tanh,
  relu,
  softplus,
  log1p,
  expm1,
  floor,
  round,
  clipByValue,
  defineUnary,
} from './unary.js';
export { sum, mean, max } from './reduce.js';
export { matMul } from './matmul.js';
export {
  reshape,
  broadcastTo,
  transpose,
  slice,
  concat,
  stack,
  split,
  gather,
  reverse,
  cast,
  where,
} from './shape-ops.js';
export type { TensorOrNumber } from './convert.js';
