/**
 * Runs exported ONNX models in onnxruntime-node and compares them with keras-gru: the helpers of the ONNX tests.
 */
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { Tensor } from '../../src/tensor/tensor.js';

export interface OrtOutput {
  dims: number[];
  data: Float32Array;
}

/** Loads `bytes` (warnings off: only errors are logged) and runs it on `feeds`, keras-gru tensors by input name. */
export async function runOnnx(bytes: Uint8Array, feeds: Record<string, Tensor>, dtypes: Record<string, 'int64'> = {}): Promise<Record<string, OrtOutput>> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      const values = t.dataSync();
      const dims = [...t.shape];
      if (dtypes[name] === 'int64') inputs[name] = new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
      else if (t.dtype === 'int32') inputs[name] = new ort.Tensor('int32', Int32Array.from(values), dims);
      else if (t.dtype === 'bool') inputs[name] = new ort.Tensor('bool', Uint8Array.from(values), dims);
      else inputs[name] = new ort.Tensor('float32', Float32Array.from(values), dims);
    }
    const out = await session.run(inputs);
    const result: Record<string, OrtOutput> = {};
    for (const name of session.outputNames) {
      const v = out[name]!;
      result[name] = { dims: [...v.dims], data: v.data as Float32Array };
    }
    return result;
  } finally {
    await session.release();
  }
}

/** The largest absolute difference between onnxruntime's output and a keras-gru tensor (shapes must agree). */
export function maxDeviation(actual: OrtOutput, expected: Tensor): number {
  expect(actual.dims).toEqual([...expected.shape]);
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(actual.data[i]! - e[i]!);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}
