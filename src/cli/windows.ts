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

/** The series is too short, has gaps, or the split leaves a part empty (exit code 1: the data's fault). */
export class DataSizeError extends KerasGruError {}

export function forecastWindows(
  values: Float64Array,
  column: string,
  window: number,
  horizon: number,
  validation: number,
  standardize: boolean,
): ForecastData {
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
  if (trainCount < 1)
    throw new DataSizeError(`--validation ${validation} leaves no example to train on (${count} examples)`);
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

/**
 * The column with its empty fields (NaN) refused, naming the first (`missing: 'error'`), or filled by linear
 * interpolation between the nearest values (edges take the nearest value).
 */
export function fillMissing(
  values: Float64Array,
  column: string,
  missing: 'error' | 'interpolate',
  file: string,
): Float64Array {
  const gaps: number[] = [];
  values.forEach((v, i) => Number.isNaN(v) && gaps.push(i));
  if (gaps.length === 0) return values;
  if (missing === 'error') {
    const i = gaps[0]!;
    throw new DataSizeError(
      `${file}: column '${column}' has ${gaps.length} empty or NaN fields, the first in data row ${i + 1}; pass --missing interpolate to fill them`,
    );
  }
  const known = values.findIndex((v) => !Number.isNaN(v));
  if (known < 0) throw new DataSizeError(`column '${column}' has no values`);
  const out = Float64Array.from(values);
  let last = -1;
  for (let i = 0; i <= out.length; i++) {
    if (i < out.length && Number.isNaN(out[i]!)) continue;
    // Fill (last, i): between two values, or from the nearest one at an edge.
    for (let k = last + 1; k < i; k++) {
      out[k] =
        last < 0
          ? out[i]!
          : i === out.length
            ? out[last]!
            : out[last]! + ((out[i]! - out[last]!) * (k - last)) / (i - last);
    }
    last = i;
  }
  return out;
}
