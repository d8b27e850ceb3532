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
export { Layer } from './layers/layer.js';
export type { LayerArgs, AddWeightOptions, LayerWeight } from './layers/layer.js';
export { RNN } from './layers/rnn.js';
export type { RNNOptions, RNNCallOptions } from './layers/rnn.js';
export { GRUCell } from './layers/gru-cell.js';
export type { GRUCellArgs, GRUCellOptions } from './layers/gru-cell.js';
export { GRU } from './layers/gru.js';
export type { GRUArgs } from './layers/gru.js';
export { gruSequence } from './ops/gru.js';
