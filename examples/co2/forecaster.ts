/**
 * The CO2 forecaster that both demos train — `npm start` in Node and `npm run demo:browser` in a page — so that
 * they are the same experiment: the split, the windows, the model, the evaluation against the seasonal-naive
 * baseline and the forecast picture.
 *
 * Inputs: the last 52 weeks relative to the latest value, with the week of the year as sin/cos; target: the
 * change 4 weeks later, in units of the typical 4-week change. Model: GRU(32) → Dense(1), Adam, MSE. The last 20%
 * of the series is held out (the model never trains on it).
 */
import { Dense, GRU, Sequential, forecastPlot, input, tensor, type Tensor } from '../../src/index.js';
import { FEATURES, makeWindows, type Series, type Windows } from './data.js';

export const WINDOW = 52;
export const HORIZON = 4;
/** The seasonal-naive forecast looks this many weeks back (one year). */
export const SEASON = 52;

export interface Co2Task {
  series: Series;
  /** The typical size of a 4-week change (ppm), measured on the training part only. */
  scale: number;
  /** The first held-out week: targets from here on are validation. */
  splitWeek: number;
  windows: Windows;
  validIdx: number[];
  train: { x: Tensor; y: Tensor };
  valid: { x: Tensor; y: Tensor };
}

export function prepareCo2(series: Series): Co2Task {
  const splitWeek = Math.floor(series.values.length * 0.8);
  let sumSq = 0;
  for (let t = HORIZON; t < splitWeek; t++) sumSq += (series.values[t]! - series.values[t - HORIZON]!) ** 2;
  const scale = Math.sqrt(sumSq / (splitWeek - HORIZON));

  const windows = makeWindows(series.values, WINDOW, HORIZON, scale);
  const trainIdx: number[] = [];
  const validIdx: number[] = [];
  windows.target.forEach((t, i) => (t < splitWeek ? trainIdx : validIdx).push(i));
  const pick = (idx: number[]) => {
    const size = WINDOW * FEATURES;
    const x = new Float32Array(idx.length * size);
    const y = new Float32Array(idx.length);
    idx.forEach((n, i) => {
      x.set(windows.x.subarray(n * size, (n + 1) * size), i * size);
      y[i] = windows.y[n]!;
    });
    return { x: tensor(x, [idx.length, WINDOW, FEATURES]), y: tensor(y, [idx.length, 1]) };
  };
  return { series, scale, splitWeek, windows, validIdx, train: pick(trainIdx), valid: pick(validIdx) };
}

/** GRU(32, seed 7) → Dense(1), compiled with Adam and MSE (MAE as a metric). */
export function buildForecaster(): Sequential {
  const model = new Sequential([
    input({ shape: [WINDOW, FEATURES] }),
    new GRU({ units: 32, seed: 7 }),
    new Dense({ units: 1 }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  return model;
}

export interface Co2Evaluation {
  /** Mean absolute error on the held-out weeks, ppm. */
  gruError: number;
  naiveError: number;
  forecastDates: Date[];
  gruForecast: number[];
  naiveForecast: number[];
}

/** A `YYYYMMDD` date of the CSV as a UTC Date. */
export const day = (yyyymmdd: string): Date =>
  new Date(Date.UTC(+yyyymmdd.slice(0, 4), +yyyymmdd.slice(4, 6) - 1, +yyyymmdd.slice(6, 8)));

/** The model's and the seasonal-naive forecasts of every held-out week, back in ppm, and their errors. */
export function evaluateForecaster(model: Sequential, task: Co2Task): Co2Evaluation {
  const { series, windows, scale, validIdx } = task;
  // forecast = last observed value + scale × predicted change.
  const predicted = model.predict(task.valid.x).dataSync();
  const result: Co2Evaluation = { gruError: 0, naiveError: 0, forecastDates: [], gruForecast: [], naiveForecast: [] };
  validIdx.forEach((n, i) => {
    const target = windows.target[n]!;
    const actual = series.values[target]!;
    const gru = windows.anchor[n]! + scale * predicted[i]!;
    const naive = series.values[target - SEASON]!;
    result.gruForecast.push(gru);
    result.naiveForecast.push(naive);
    result.forecastDates.push(day(series.dates[target]!));
    result.gruError += Math.abs(gru - actual);
    result.naiveError += Math.abs(naive - actual);
  });
  result.gruError /= validIdx.length;
  result.naiveError /= validIdx.length;
  return result;
}

/** The held-out forecasts over the actual series, with two years of training data before them, as SVG. */
export function co2ForecastPlot(
  task: Co2Task,
  evaluation: Co2Evaluation,
  size: { width: number; height: number } = { width: 960, height: 420 },
): string {
  const { series, splitWeek } = task;
  const from = Math.max(0, splitWeek - 2 * SEASON);
  return forecastPlot({
    title: `Mauna Loa CO2, ${HORIZON} weeks ahead on held-out weeks`,
    yLabel: 'CO2 (ppm)',
    ...size,
    actual: { name: 'actual', x: series.dates.slice(from).map(day), y: series.values.slice(from) },
    forecast: [
      {
        name: `GRU (MAE ${evaluation.gruError.toFixed(2)} ppm)`,
        x: evaluation.forecastDates,
        y: evaluation.gruForecast,
      },
      {
        name: `seasonal naive (MAE ${evaluation.naiveError.toFixed(2)} ppm)`,
        x: evaluation.forecastDates,
        y: evaluation.naiveForecast,
      },
    ],
    split: day(series.dates[splitWeek]!),
  });
}
