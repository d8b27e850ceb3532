/**
 * Streaming: a stateful GRU reads a sensor one sample at a time (constant work per sample) and flags readings
 * that stray from its one-step-ahead forecast. Run with `npx tsx examples/streaming-sensor.ts`.
 *
 * The series is daily maximum temperature in Seattle, 2012–2015 (examples/data/seattle-weather.csv, NOAA,
 * public domain). The GRU is trained on 2012–2014 to forecast tomorrow's change from the last 30 days, then streams 2015
 * day by day through `step()`, keeping its state between samples.
 */
import { readFileSync } from 'node:fs';
import { Dense, GRU, Sequential, input, setRandomSeed, tensor, zeros, type Tensor } from '../src/index.js';

setRandomSeed(11);
const rows = readFileSync(new URL('./data/seattle-weather.csv', import.meta.url), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1);
const dates = rows.map((r) => r.split(',')[0]!);
const tmax = rows.map((r) => Number(r.split(',')[2]));
const split = dates.findIndex((d) => d.startsWith('2015'));
const mean = tmax.slice(0, split).reduce((a, b) => a + b, 0) / split;
const std = Math.sqrt(tmax.slice(0, split).reduce((a, b) => a + (b - mean) ** 2, 0) / split);
const z = tmax.map((v) => (v - mean) / std);

// Train on windows of 30 days from 2012–2014; the target is tomorrow's change from today.
const WINDOW = 30;
const xs: number[] = [];
const ys: number[] = [];
for (let t = WINDOW; t < split; t++) {
  xs.push(...z.slice(t - WINDOW, t));
  ys.push(z[t]! - z[t - 1]!);
}
const gru = new GRU({ units: 16, seed: 3 });
const head = new Dense({ units: 1 });
const model = new Sequential([input({ shape: [WINDOW, 1] }), gru, head]);
model.compile({ optimizer: 'adam', loss: 'mse' });
await model.fit(tensor(xs, [ys.length, WINDOW, 1]), tensor(ys, [ys.length, 1]), {
  epochs: 20,
  batchSize: 32,
  verbose: 2,
  seed: 1,
});

// Stream 2015 through the trained cell, one reading at a time: state in, state out.
let state: Tensor = zeros([1, 16]);
for (let t = split - WINDOW; t < split; t++) [, [state]] = gru.step(tensor([[z[t]!]]), [state]) as [Tensor, Tensor[]];
let absError = 0;
const alerts: string[] = [];
for (let t = split; t < tmax.length - 1; t++) {
  const [output, states] = gru.step(tensor([[z[t]!]]), [state]);
  state = states[0]!;
  const forecast = (z[t]! + head.apply(output).dataSync()[0]!) * std + mean;
  const error = tmax[t + 1]! - forecast;
  absError += Math.abs(error);
  if (Math.abs(error) > 3 * 2.5) alerts.push(`${dates[t + 1]}: ${tmax[t + 1]} °C, forecast ${forecast.toFixed(1)} °C`);
}
const n = tmax.length - 1 - split;
console.log(`\nstreamed ${n} days of 2015 one sample at a time: mean absolute error ${(absError / n).toFixed(2)} °C`);
console.log(
  `persistence (tomorrow = today) would make ${(tmax.slice(split, -1).reduce((a, v, i) => a + Math.abs(tmax[split + i + 1]! - v), 0) / n).toFixed(2)} °C`,
);
console.log(
  `${alerts.length} surprising days (off by more than 7.5 °C)${alerts.length ? ':\n  ' + alerts.slice(0, 5).join('\n  ') : ''}`,
);
