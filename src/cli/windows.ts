/**
 * `train`'s data: one CSV column cut into (the last `window` values → the value `horizon` steps after the
 * last) examples, in time order, split into a training part and a validation part at the end.
 */
import { KerasGruError } from '../errors.js';

export interface ForecastData {
  /** [N, window, 1], standardized. */
  x: Float32Array;
  /** [N, 1], standardized. */
  y: Float32Array;
  count: number;
  trainCount: number;
  /** The standardization, measured on the values the training examples see. */
  mean: number;
  std: number;
}

/** The series is too short, or the split leaves a part empty (exit code 1: the data's fault). */
export class DataSizeError extends KerasGruError {}

export function forecastWindows(values: Float64Array, column: string, window: number, horizon: number, validation: number, standardize: boolean): ForecastData {
  const count = values.length - window - horizon + 1;
  const needed = window + horizon + (validation > 0 ? 1 : 0);
  if (count < (validation > 0 ? 2 : 1)) {
    throw new DataSizeError(
      `column '${column}' has ${values.length} values; --window ${window} and --horizon ${horizon} need at least ${needed}` +
        (validation > 0 ? ' (two examples: one to train on, one to validate)' : ''),
    );
  }
  const valCount = validation > 0 ? Math.max(1, Math.round(count * validation)) : 0;
  const trainCount = count - valCount;
  if (trainCount < 1) throw new DataSizeError(`--validation ${validation} leaves no example to train on (${count} examples)`);
  // Statistics over the values the training examples read or predict: indices 0 .. (trainCount − 1) + window − 1 + horizon.
  let mean = 0;
  let std = 1;
  if (standardize) {
    const seen = values.subarray(0, trainCount - 1 + window + horizon);
    mean = seen.reduce((a, v) => a + v, 0) / seen.length;
    const variance = seen.reduce((a, v) => a + (v - mean) ** 2, 0) / seen.length;
    std = variance > 0 ? Math.sqrt(variance) : 1;
  }
  const x = new Float32Array(count * window);
  const y = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    for (let k = 0; k < window; k++) x[n * window + k] = (values[n + k]! - mean) / std;
    y[n] = (values[n + window - 1 + horizon]! - mean) / std;
  }
  return { x, y, count, trainCount, mean, std };
}
