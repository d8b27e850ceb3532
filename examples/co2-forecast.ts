/**
 * The main job (`npm start`): forecast Mauna Loa CO2 one month (4 weeks) ahead with a GRU, and compare it with
 * the seasonal-naive forecast (the same week last year) on the last 20% of the series, which the model never
 * trains on. The same experiment runs in a web page with `npm run demo:browser` (examples/browser/).
 *
 * Data: weekly CO2 in ppm, 1958–2001 (examples/data/co2.csv, NOAA/Scripps, public domain), 59 empty weeks
 * filled by linear interpolation. Inputs, model and evaluation: examples/co2/forecaster.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { EarlyStopping, plotHistory, setRandomSeed } from '../src/index.js';
import { parseCo2 } from './co2/data.js';
import { buildForecaster, co2ForecastPlot, evaluateForecaster, prepareCo2 } from './co2/forecaster.js';

setRandomSeed(2024);
const series = parseCo2(readFileSync(new URL('./data/co2.csv', import.meta.url), 'utf8'));
console.log(
  `CO2 series: ${series.values.length} weeks (${series.dates[0]} .. ${series.dates.at(-1)}), ${series.filled.length} missing weeks filled`,
);
const task = prepareCo2(series);
console.log(
  `windows: ${task.train.x.shape[0]} for training, ${task.validIdx.length} for validation (targets after ${series.dates[task.splitWeek]})\n`,
);

const model = buildForecaster();
model.summary();
const history = await model.fit(task.train.x, task.train.y, {
  epochs: 30,
  seed: 1,
  batchSize: 32,
  validationData: [task.valid.x, task.valid.y],
  callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })],
});

const evaluation = evaluateForecaster(model, task);
const { gruError, naiveError } = evaluation;
console.log(`\nValidation MAE, CO2 4 weeks ahead (${task.validIdx.length} forecasts):`);
console.log(`  GRU forecaster               ${gruError.toFixed(3)} ppm`);
console.log(`  seasonal naive (last year)   ${naiveError.toFixed(3)} ppm`);
console.log(
  gruError < naiveError
    ? `  the GRU is ${(naiveError / gruError).toFixed(1)}x better`
    : '  the GRU does not beat the baseline',
);

// Pictures: the held-out forecasts over the actual series, and the training curves.
const outDir = new URL('../out/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const forecastFile = new URL('co2-forecast.svg', outDir);
writeFileSync(forecastFile, co2ForecastPlot(task, evaluation));
const historyFile = new URL('co2-history.svg', outDir);
writeFileSync(historyFile, plotHistory(history, { title: 'CO2 forecaster training' }));
console.log(`\nwrote ${forecastFile.pathname}\n      ${historyFile.pathname}`);
