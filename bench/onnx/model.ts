/**
 * The ONNX model that onnxruntime runs in the benchmark: one GRU layer with the workload's weights, written by
 * the project's own exporter (`exportOnnx`, src/onnx) from a keras-gru model — so the ORT rows also measure
 * what keras-gru's export hands to onnxruntime.
 */
import * as kg from '../../src/index.js';
import { exportOnnx } from '../../src/onnx/index.js';

/** One GRU layer in Keras layout, batch-first input x [B,T,I] (and h0 [B,U] when withInitialState). */
export interface OnnxGruSpec {
  steps: number;
  inputDim: number;
  units: number;
  resetAfter: boolean;
  returnSequences: boolean;
  withInitialState: boolean;
  /** [I,3U], columns z|r|h. */
  kernel: Float32Array;
  /** [U,3U], columns z|r|h. */
  recurrentKernel: Float32Array;
  /** [2,3U] with resetAfter, else [3U]. */
  bias: Float32Array;
}

export interface OnnxGruModel {
  bytes: Uint8Array;
  /** Graph input names: x, then h0 when withInitialState; one output y ([B,U] or [B,T,U]). */
  inputs: string[];
  output: string;
  source: string;
}

export function onnxGruModel(spec: OnnxGruSpec): OnnxGruModel {
  const { steps: T, inputDim: I, units: U, resetAfter, returnSequences, withInitialState } = spec;
  const x = kg.input({ shape: [T, I], name: 'x' });
  const h0 = withInitialState ? kg.input({ shape: [U], name: 'h0' }) : null;
  const gru = new kg.GRU({ units: U, resetAfter, returnSequences });
  const y = gru.apply(x, h0 === null ? {} : { initialState: [h0] }) as kg.SymbolicTensor;
  const model = new kg.Model({ inputs: h0 === null ? [x] : [x, h0], outputs: y });
  const G = 3 * U;
  gru.setWeights([
    kg.tensor(spec.kernel, [I, G]),
    kg.tensor(spec.recurrentKernel, [U, G]),
    kg.tensor(spec.bias, resetAfter ? [2, G] : [G]),
  ]);
  const inputs = h0 === null ? ['x'] : ['x', 'h0'];
  const bytes = exportOnnx(model, { inputNames: inputs, outputNames: ['y'] });
  return { bytes, inputs, output: 'y', source: 'keras-gru exportOnnx (src/onnx)' };
}
