/**
 * The CO2 series for the forecasting demo: parse the weekly Mauna Loa CSV, fill the missing weeks by linear
 * interpolation, and cut it into (window → value `horizon` weeks later) training examples. No file access here:
 * the Node demo reads the CSV from disk and the browser demo fetches it, then both hand the text to `parseCo2`.
 */

export interface Series {
  dates: string[];
  /** ppm, one value per week, gaps filled. */
  values: number[];
  /** Indices of the weeks that were empty in the file. */
  filled: number[];
}

/** The CSV's text (header `date,value`, dates as YYYYMMDD, empty values for missing weeks) as a series. */
export function parseCo2(csv: string): Series {
  const lines = csv.trim().split(/\r?\n/).slice(1);
  const dates: string[] = [];
  const raw: (number | null)[] = [];
  for (const line of lines) {
    const [date, value] = line.split(',');
    dates.push(date!);
    raw.push(value === undefined || value.trim() === '' ? null : Number(value));
  }
  return { dates, ...fillGaps(raw) };
}

/** Linear interpolation between the nearest known neighbours; edges take the nearest known value. */
export function fillGaps(raw: readonly (number | null)[]): { values: number[]; filled: number[] } {
  const values = new Array<number>(raw.length);
  const filled: number[] = [];
  let last = -1;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === null) continue;
    values[i] = raw[i]!;
    if (i - last > 1) {
      for (let k = last + 1; k < i; k++) {
        values[k] = last < 0 ? raw[i]! : raw[last]! + ((raw[i]! - raw[last]!) * (k - last)) / (i - last);
        filled.push(k);
      }
    }
    last = i;
  }
  for (let k = last + 1; k < raw.length; k++) {
    values[k] = raw[last]!;
    filled.push(k);
  }
  return { values, filled };
}

export interface Windows {
  /** [N, window, 3] flattened: (value − last value) / scale, and the week of year as sin/cos. */
  x: Float32Array;
  /** [N, 1]: (value at t + horizon − value at t) / scale. */
  y: Float32Array;
  /** The value at t (the window's last week), to turn a prediction back into ppm. */
  anchor: number[];
  /** Index of the target week in the series. */
  target: number[];
  count: number;
}

export const FEATURES = 3;

/**
 * Examples ending at every week t ≥ window − 1 with a target week t + horizon inside the series. Inputs are
 * relative to the last observed value, so the model learns shapes, not levels (the trend keeps rising past
 * anything seen in training).
 */
export function makeWindows(values: readonly number[], window: number, horizon: number, scale: number): Windows {
  const ends: number[] = [];
  for (let t = window - 1; t + horizon < values.length; t++) ends.push(t);
  const x = new Float32Array(ends.length * window * FEATURES);
  const y = new Float32Array(ends.length);
  ends.forEach((t, n) => {
    const last = values[t]!;
    for (let k = 0; k < window; k++) {
      const i = t - window + 1 + k;
      const o = (n * window + k) * FEATURES;
      const phase = (2 * Math.PI * (i % 52.1775)) / 52.1775;
      x[o] = (values[i]! - last) / scale;
      x[o + 1] = Math.sin(phase);
      x[o + 2] = Math.cos(phase);
    }
    y[n] = (values[t + horizon]! - last) / scale;
  });
  return { x, y, anchor: ends.map((t) => values[t]!), target: ends.map((t) => t + horizon), count: ends.length };
}
