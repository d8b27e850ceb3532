/**
 * Type tests of the public API, checked by `tsc --noEmit` in `npm test` (never run): what a user writes must
 * compile to the precise types, and each `@ts-expect-error` line must stay an error (tsc fails on an unused
 * one). Only the package entry is imported, as a user would.
 */
import {
  Adam,
  Bidirectional,
  Dense,
  GRU,
  Model,
  Sequential,
  input,
  tensor,
  type SymbolicTensor,
  type Tensor,
} from '../../src/index.js';

declare const x: Tensor;

// The README's example: a state-returning GRU destructures without a cast.
const [sequence, state] = new GRU({ units: 8, returnSequences: true, returnState: true }).apply(x);
export const tensors: Tensor[] = [sequence, state];
// @ts-expect-error a GRU returns [output, state]: there is no third element
export const [, , third] = new GRU({ units: 8, returnState: true }).apply(x);

// Without returnState (or with false) the result is one Tensor.
export const out1: Tensor = new GRU({ units: 8 }).apply(x);
export const out2: Tensor = new GRU({ units: 8, returnState: false }).apply(tensor([[[1, 2]]]));
// @ts-expect-error a state-returning GRU gives a tuple, not a Tensor
export const notOne: Tensor = new GRU({ units: 8, returnState: true }).apply(x);

// When returnState is only known at run time, so is the result's form.
declare const flag: boolean;
export const either: Tensor | Tensor[] = new GRU({ units: 8, returnState: flag }).apply(x);
// @ts-expect-error could be a list
export const eitherNotOne: Tensor = new GRU({ units: 8, returnState: flag }).apply(x);

// The type `GRU` is any GRU; a state-returning one is assignable to it.
export const anyGru: GRU = new GRU({ units: 4, returnState: true });

// Symbolic inputs give symbolic outputs, in the same form.
const inp = input({ shape: [10, 3] });
const [encoded, encoderState] = new GRU({ units: 16, returnState: true }).apply(inp);
export const symbolic: SymbolicTensor[] = [encoded, encoderState];
const decoded: SymbolicTensor = new GRU({ units: 16 }).apply(inp, { initialState: [encoderState] });
export const model = new Model({ inputs: inp, outputs: new Dense({ units: 1 }).apply(decoded) });
// @ts-expect-error a symbolic input never gives a real Tensor
export const notReal: Tensor = new GRU({ units: 4 }).apply(inp);

// Bidirectional: merged output, [y, yRev] for mergeMode null, states after the output.
export const merged: Tensor = new Bidirectional({ layer: new GRU({ units: 4 }) }).apply(x);
export const both: [Tensor, Tensor] = new Bidirectional({ layer: new GRU({ units: 4 }), mergeMode: null }).apply(x);
export const withStates: [Tensor, Tensor, Tensor] = new Bidirectional({
  layer: new GRU({ units: 4, returnState: true }),
  mergeMode: 'sum',
}).apply(x);
export const nullWithStates: [SymbolicTensor, SymbolicTensor, SymbolicTensor, SymbolicTensor] = new Bidirectional({
  layer: new GRU({ units: 4, returnState: true }),
  mergeMode: null,
}).apply(inp);

// Names the library knows are literal unions; objects, functions and Keras configs are still accepted.
export const named = new GRU({
  units: 4,
  activation: 'tanh',
  recurrentActivation: 'hard_sigmoid',
  kernelInitializer: 'glorot_uniform',
  recurrentInitializer: 'Orthogonal',
  kernelRegularizer: 'l2',
  kernelConstraint: 'max_norm',
});
export const custom = new GRU({
  units: 4,
  activation: (t: Tensor) => t,
  kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } },
  recurrentActivation: null,
});
// @ts-expect-error misspelt activation
export const badActivation = new GRU({ units: 4, activation: 'tanhh' });
// @ts-expect-error misspelt recurrent activation
export const badRecurrent = new GRU({ units: 4, recurrentActivation: 'sigmod' });
// @ts-expect-error misspelt initializer
export const badInit = new GRU({ units: 4, kernelInitializer: 'glorot_unifrom' });
// @ts-expect-error misspelt regularizer
export const badReg = new GRU({ units: 4, kernelRegularizer: 'l3' });
// @ts-expect-error misspelt constraint
export const badConstraint = new GRU({ units: 4, kernelConstraint: 'maxnorms' });
// @ts-expect-error misspelt Dense activation
export const badDense = new Dense({ units: 1, activation: 'rellu' });

const seq = new Sequential([input({ shape: [5, 2] }), new GRU({ units: 4 }), new Dense({ units: 1 })]);
seq.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae', 'accuracy'] });
seq.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'MeanSquaredError' });
seq.compile({ optimizer: { class_name: 'Adam', config: { learning_rate: 0.01 } }, loss: 'huber' });
// @ts-expect-error misspelt optimizer
seq.compile({ optimizer: 'adamm', loss: 'mse' });
// @ts-expect-error misspelt loss
seq.compile({ optimizer: 'adam', loss: 'msee' });
// @ts-expect-error misspelt metric
seq.compile({ optimizer: 'adam', loss: 'mse', metrics: ['maee'] });
