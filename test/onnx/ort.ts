/**
 * Runs exported ONNX models in onnxruntime-node and compares them with keras-gru: the helpers of the ONNX tests.
 */
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { Model } from '../../src/models/model.js';
import { exportOnnx, type ExportOnnxOptions } from '../../src/onnx/index.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';

export interface OrtOutput {
  dims: number[];
  data: Float32Array;
}

/** Loads `bytes` (warnings off: only errors are logged) and runs it on `feeds`, keras-gru tensors by input name. */
export async function runOnnx(
  bytes: Uint8Array,
  feeds: Record<string, Tensor>,
  dtypes: Record<string, 'int64'> = {},
): Promise<Record<string, OrtOutput>> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      const values = t.dataSync();
      const dims = [...t.shape];
      if (dtypes[name] === 'int64')
        inputs[name] = new ort.Tensor(
          'int64',
          BigInt64Array.from(values, (v) => BigInt(v)),
          dims,
        );
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

/** Sets every weight of `model` to seeded U(−scale, scale) values (non-symmetric, so a gate swap shows). */
export function randomizeWeights(
  model: { weights: { shape: readonly number[]; assign(t: Tensor): void }[] },
  seed: number,
  scale = 0.8,
): void {
  const rng = new Random(seed);
  for (const w of model.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    w.assign(
      tensor(
        Array.from({ length: size }, () => (rng.uniform() * 2 - 1) * scale),
        [...w.shape],
      ),
    );
  }
}

/** Seeded U(−1, 1) values of `shape`. */
export function randomTensor(shape: number[], seed: number): Tensor {
  const rng = new Random(seed);
  return tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform() * 2 - 1),
    shape,
  );
}

/** Zeroes the feature vectors of the given [b, t] steps of x [B,T,F] (steps a Masking layer then masks). */
export function maskSteps(x: Tensor, steps: readonly (readonly [number, number])[]): Tensor {
  const [, T, F] = x.shape as [number, number, number];
  const values = Float32Array.from(x.dataSync());
  for (const [b, t] of steps) values.fill(0, (b * T + t) * F, (b * T + t + 1) * F);
  return tensor(values, [...x.shape]);
}

/** Worst deviation seen by `expectOnnxMatches` in this test file (for the report). */
export const worst = { deviation: 0, case: '' };

/**
 * Exports `model`, runs it in onnxruntime-node on `inputs` and checks every output against `model.predict`
 * within `tolerance`. Inputs and outputs are named x0, x1, ... and y0, y1, ... through the export options.
 */
export async function expectOnnxMatches(
  model: Model,
  inputs: readonly Tensor[],
  label = '',
  options: ExportOnnxOptions = {},
  tolerance = 1e-5,
): Promise<number> {
  const predicted = model.predict(inputs.length === 1 ? inputs[0]! : [...inputs]);
  const ours = Array.isArray(predicted) ? predicted : [predicted];
  const inputNames = inputs.map((_, i) => `x${i}`);
  const outputNames = ours.map((_, i) => `y${i}`);
  const bytes = exportOnnx(model, { inputNames, outputNames, ...options });
  const int64 = options.integerInputs === 'int64';
  const out = await runOnnx(
    bytes,
    Object.fromEntries(inputs.map((t, i) => [`x${i}`, t])),
    int64
      ? Object.fromEntries(inputs.flatMap((t, i) => (t.dtype === 'int32' ? [[`x${i}`, 'int64' as const]] : [])))
      : {},
  );
  let deviation = 0;
  ours.forEach((t, i) => {
    deviation = Math.max(deviation, maxDeviation(out[`y${i}`]!, t));
  });
  if (deviation > worst.deviation) Object.assign(worst, { deviation, case: label });
  expect(deviation, label).toBeLessThanOrEqual(tolerance);
  return deviation;
}
