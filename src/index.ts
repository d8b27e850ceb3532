/**
 * keras-gru: Keras's GRU layer for JavaScript. The public surface, by area.
 */
export * from './errors.js';
export type { DType, TypedArray, FloatArray } from './tensor/dtype.js';
export { Tensor, tensor, zeros, ones, fill, scalar, isTensor } from './tensor/tensor.js';
export type { NestedArray, TensorLike } from './tensor/tensor.js';
export { Variable, variable, isVariable } from './tensor/variable.js';
export type { VariableOptions } from './tensor/variable.js';
export { valueAndGrads, noGrad } from './autodiff/tape.js';
export type { ValueAndGrads } from './autodiff/tape.js';
export * from './ops/index.js';
export { getBackend, setBackend, listBackends, registerBackend } from './backend/registry.js';
export type { Backend } from './backend/backend.js';
export { setRandomSeed } from './random/rng.js';
