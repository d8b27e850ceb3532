/**
 * The fused GRU sequence as one differentiable op: the backend's forward kernel, and its backpropagation-
 * through-time kernel as the gradient rule. Inputs are Keras-layout tensors; see `GruSequenceArgs`.
 */
import { isRecording, isTracked, record } from '../autodiff/tape.js';
import type { GruSequenceArgs, ScalarActivation } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { reshape, slice } from './shape-ops.js';

export interface GruSequenceOptions {
  resetAfter: boolean;
  goBackwards: boolean;
  returnSequences: boolean;
  zeroOutputForMask: boolean;
  activation: ScalarActivation;
  recurrentActivation: ScalarActivation;
  /** [B,T], 1 = use the step. */
  mask: Uint8Array | null;
}

export interface GruSequenceOutputs {
  /** [B,T,U] in processing order, or null without returnSequences. */
  outputs: Tensor | null;
  lastOutput: Tensor;
  state: Tensor;
}

function floatValues(t: Tensor, dtype: 'float32' | 'float64'): FloatArray {
  if (t.dtype === dtype) return t.values as FloatArray;
  return dtype === 'float64' ? Float64Array.from(t.values) : Float32Array.from(t.values);
}

/**
 * x [B,T,I], kernel [I,3U], recurrentKernel [U,3U], bias [2,3U] (resetAfter) or [3U] or null, h0 [B,U].
 * Computes in float64 when x is float64, else float32.
 */
export function gruSequence(
  x: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor | null,
  h0: Tensor,
  options: GruSequenceOptions,
): GruSequenceOutputs {
  const [B, T, I] = x.shape as [number, number, number];
  const U = recurrentKernel.shape[0]!;
  const G = 3 * U;
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  const biasValues = bias === null ? null : floatValues(bias, dtype);
  const twoRowBias = bias !== null && bias.rank === 2;
  const args: GruSequenceArgs = {
    batch: B,
    steps: T,
    inputDim: I,
    units: U,
    x: floatValues(x, dtype),
    kernel: floatValues(kernel, dtype),
    recurrentKernel: floatValues(recurrentKernel, dtype),
    inputBias: biasValues === null ? null : biasValues.subarray(0, G),
    recurrentBias: twoRowBias && options.resetAfter ? biasValues!.subarray(G, 2 * G) : null,
    h0: floatValues(h0, dtype),
    mask: options.mask,
    resetAfter: options.resetAfter,
    goBackwards: options.goBackwards,
    returnSequences: options.returnSequences,
    zeroOutputForMask: options.zeroOutputForMask,
    activation: options.activation,
    recurrentActivation: options.recurrentActivation,
    saveForBackward: false,
  };
  const inputs = bias === null ? [x, kernel, recurrentKernel, h0] : [x, kernel, recurrentKernel, h0, bias];
  const backend = getBackend();
  if (!isRecording() || !inputs.some(isTracked)) {
    // No gradient wanted: the kernel's fresh result buffers become the tensors as they are.
    const result = backend.gruSequence(args);
    return {
      outputs: result.outputs === null ? null : new Tensor(result.outputs, [B, T, U], dtype),
      lastOutput: new Tensor(result.lastOutput, [B, U], dtype),
      state: new Tensor(result.state, [B, U], dtype),
    };
  }
  args.saveForBackward = true;
  const result = backend.gruSequence(args);
  const seqSize = result.outputs === null ? 0 : B * T * U;
  // One packed result [outputs | lastOutput | state] carries the gradient rule; the three results are
  // slices of it, so gradients reaching any of them flow back through one BPTT call.
  const packed = new (dtype === 'float64' ? Float64Array : Float32Array)(seqSize + 2 * B * U);
  if (result.outputs !== null) packed.set(result.outputs, 0);
  packed.set(result.lastOutput, seqSize);
  packed.set(result.state, seqSize + B * U);
  const all = record(new Tensor(packed, [packed.length], dtype), inputs, (dy) => {
    const d = dy.values as FloatArray;
    const grads = backend.gruSequenceBackward({
      forward: args,
      cache: result.cache!,
      dOutputs: seqSize > 0 ? d.subarray(0, seqSize) : null,
      dLastOutput: d.subarray(seqSize, seqSize + B * U),
      dState: d.subarray(seqSize + B * U),
    });
    const out: Tensor[] = [
      new Tensor(grads.dx, x.shape, dtype),
      new Tensor(grads.dKernel, kernel.shape, dtype),
      new Tensor(grads.dRecurrentKernel, recurrentKernel.shape, dtype),
      new Tensor(grads.dh0, h0.shape, dtype),
    ];
    if (bias !== null) {
      const db = new (dtype === 'float64' ? Float64Array : Float32Array)(bias.size);
      db.set(grads.dInputBias!, 0);
      if (grads.dRecurrentBias !== null) db.set(grads.dRecurrentBias, G);
      out.push(new Tensor(db, bias.shape, dtype));
    }
    return out;
  });
  const part = (offset: number, size: number, shape: number[]): Tensor => reshape(slice(all, [offset], [size]), shape);
  return {
    outputs: seqSize > 0 ? part(0, seqSize, [B, T, U]) : null,
    lastOutput: part(seqSize, B * U, [B, U]),
    state: part(seqSize + B * U, B * U, [B, U]),
  };
}
