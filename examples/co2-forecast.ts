/**
 * The main job (`npm start`): forecast Mauna Loa CO2 one month (4 weeks) ahead with a GRU, and compare it with
 * the seasonal-naive forecast (the same week last year) on the last 20% of the series, which the model never
 * trains on.
 *
 * Data: weekly CO2 in ppm, 1958–2001 (examples/data/co2.csv, NOAA/Scripps, public domain), 59 empty weeks
 * filled by linear interpolation. Inputs: the last 52 weeks relative to the latest value, with the week of the
 * year as sin/cos; target: the change 4 weeks later. Model: GRU(32) → Dense(1), Adam, MSE.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  Dense,
  EarlyStopping,
  GRU,
  Sequential,
  forecastPlot,
  input,
  plotHistory,
  setRandomSeed,
  tensor,
} from '../src/index.js';
import { FEATURES, loadCo2, makeWindows } from './co2/data.js';

const WINDOW = 52;
const HORIZON = 4;
const SEASON = 52;

setRandomSeed(2024);
const series = loadCo2(new URL('./data/co2.csv', import.meta.url));
console.log(
  `CO2 series: ${series.values.length} weeks (${series.dates[0]} .. ${series.dates.at(-1)}), ${series.filled.length} missing weeks filled`,
);

// Scale: the typical size of a 4-week change, measured on the training part only.
const splitWeek = Math.floor(series.values.length * 0.8);
let sumSq = 0;
for (let t = HORIZON; t < splitWeek; t++) sumSq += (series.values[t]! - series.values[t - HORIZON]!) ** 2;
const scale = Math.sqrt(sumSq / (splitWeek - HORIZON));

const all = makeWindows(series.values, WINDOW, HORIZON, scale);
const trainIdx: number[] = [];
const validIdx: number[] = [];
all.target.forEach((t, i) => (t < splitWeek ? trainIdx : validIdx).push(i));
const pick = (idx: number[]) => {
  const x = new Float32Array(idx.length * WINDOW * FEATURES);
  const y = new Float32Array(idx.length);
  idx.forEach((n, i) => {
    x.set(all.x.subarray(n * WINDOW * FEATURES, (n + 1) * WINDOW * FEATURES), i * WINDOW * FEATURES);
    y[i] = all.y[n]!;
  });
  return { x: tensor(x, [idx.length, WINDOW, FEATURES]), y: tensor(y, [idx.length, 1]) };
};
const train = pick(trainIdx);
const valid = pick(validIdx);
console.log(
  `windows: ${trainIdx.length} for training, ${validIdx.length} for validation (targets after ${series.dates[splitWeek]})\n`,
);

const model = new Sequential([
  input({ shape: [WINDOW, FEATURES] }),
  new GRU({ units: 32, seed: 7 }),
  new Dense({ units: 1 }),
]);
model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
model.summary();
// `await` works whether fit returns the History or a Promise of it.
const history = await model.fit(train.x, train.y, {
  epochs: 30,
  seed: 1,
  batchSize: 32,
  validationData: [valid.x, valid.y],
  callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })],
});

// Back to ppm: forecast = last observed value + scale × predicted change.
const predicted = model.predict(valid.x).dataSync();
let gruError = 0;
let naiveError = 0;
const day = (yyyymmdd: string) =>
  new Date(Date.UTC(+yyyymmdd.slice(0, 4), +yyyymmdd.slice(4, 6) - 1, +yyyymmdd.slice(6, 8)));
const forecastDates: Date[] = [];
const gruForecast: number[] = [];
const naiveForecast: number[] = [];
validIdx.forEach((n, i) => {
  const target = all.target[n]!;
  const actual = series.values[target]!;
  gruForecast.push(all.anchor[n]! + scale * predicted[i]!);
  naiveForecast.push(series.values[target - SEASON]!);
  forecastDates.push(day(series.dates[target]!));
  gruError += Math.abs(gruForecast.at(-1)! - actual);
  naiveError += Math.abs(naiveForecast.at(-1)! - actual);
});
gruError /= validIdx.length;
naiveError /= validIdx.length;
console.log(`\nValidation MAE, CO2 4 weeks ahead (${validIdx.length} forecasts):`);
console.log(`  GRU forecaster               ${gruError.toFixed(3)} ppm`);
console.log(`  seasonal naive (last year)   ${naiveError.toFixed(3)} ppm`);
console.log(
  gruError < naiveError
    ? `  the GRU is ${(naiveError / gruError).toFixed(1)}x better`
    : '  the GRU does not beat the baseline',
);

// Pictures: the held-out forecasts over the actual series (with two years of training data before them), and the
// training curves.
const outDir = new URL('../out/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const from = Math.max(0, splitWeek - 2 * SEASON);
const forecastFile = new URL('co2-forecast.svg', outDir);
writeFileSync(
  forecastFile,
  forecastPlot({
    title: `Mauna Loa CO2, ${HORIZON} weeks ahead on held-out weeks`,
    yLabel: 'CO2 (ppm)',
    width: 960,
    height: 420,
    actual: { name: 'actual', x: series.dates.slice(from).map(day), y: series.values.slice(from) },
    forecast: [
      { name: `GRU (MAE ${gruError.toFixed(2)} ppm)`, x: forecastDates, y: gruForecast },
      { name: `seasonal naive (MAE ${naiveError.toFixed(2)} ppm)`, x: forecastDates, y: naiveForecast },
    ],
    split: day(series.dates[splitWeek]!),
  }),
);
const historyFile = new URL('co2-history.svg', outDir);
writeFileSync(historyFile, plotHistory(history, { title: 'CO2 forecaster training' }));
console.log(`\nwrote ${forecastFile.pathname}\n      ${historyFile.pathname}`);
