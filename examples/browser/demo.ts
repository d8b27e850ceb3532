/**
 * The browser demo (`npm run demo:browser`, page: examples/browser/index.html): the CO2 forecaster of `npm start`
 * trained in the page. `await model.fit` yields to the event loop between batches, so the page repaints the
 * progress bar after every batch and the loss curve after every epoch, a timer keeps ticking, and Stop aborts
 * training between batches (an AbortSignal). Query parameters: `?epochs=N` (default 30), `?autostart=1`.
 *
 * The page records its state on `document.body.dataset` (`state`: loading, ready, training, done, failed) for
 * the browser suite (test/browser/demo.test.ts), which screenshots it.
 */
import {
  EarlyStopping,
  ProgressCallback,
  getBackend,
  plotHistory,
  ready,
  setRandomSeed,
  type FitProgress,
} from '../../src/index.js';
import { parseCo2 } from '../co2/data.js';
import { buildForecaster, co2ForecastPlot, evaluateForecaster, prepareCo2 } from '../co2/forecaster.js';

const element = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const startButton = element<HTMLButtonElement>('start');
const stopButton = element<HTMLButtonElement>('stop');
const progressBar = element<HTMLProgressElement>('progress');
const status = element('status');
const ticks = element('ticks');

const params = new URLSearchParams(location.search);
const epochs = Math.max(1, Number.parseInt(params.get('epochs') ?? '30', 10) || 30);

function setState(state: 'loading' | 'ready' | 'training' | 'done' | 'failed'): void {
  document.body.dataset['state'] = state;
}

/** A timer that ticks every 10 ms; if training blocked the page, it would not. */
let tickCount = 0;
let ticking: ReturnType<typeof setInterval> | undefined;

async function train(csv: string): Promise<void> {
  setState('training');
  startButton.disabled = true;
  stopButton.disabled = false;
  const stopper = new AbortController();
  stopButton.onclick = () => stopper.abort();
  tickCount = 0;
  ticking = setInterval(() => (ticks.textContent = String(++tickCount)), 10);

  setRandomSeed(2024);
  const task = prepareCo2(parseCo2(csv));
  const model = buildForecaster();
  // The live curve: the epochs so far, redrawn when one ends.
  const curves: Record<string, number[]> = {};
  const showProgress = ({ epoch, batch, batches, epochEnd, logs }: FitProgress) => {
    progressBar.value = (epoch + (batches > 0 ? batch / batches : 1)) / epochs;
    status.textContent = `epoch ${epoch + 1}/${epochs} · batch ${batch}/${batches} · loss ${logs['loss']?.toFixed(4) ?? '–'}`;
    if (!epochEnd) return;
    for (const [key, value] of Object.entries(logs)) (curves[key] ??= []).push(value);
    element('loss-curve').innerHTML = plotHistory(
      { history: curves },
      { keys: ['loss', 'val_loss'], title: 'Training (MSE, scaled)', width: 960, panelHeight: 220 },
    );
  };
  const history = await model.fit(task.train.x, task.train.y, {
    epochs,
    seed: 1,
    batchSize: 32,
    validationData: [task.valid.x, task.valid.y],
    signal: stopper.signal,
    callbacks: [
      new ProgressCallback(showProgress),
      new EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true }),
    ],
  });
  clearInterval(ticking);

  const evaluation = evaluateForecaster(model, task);
  const trained = history.epoch.length;
  element('result').textContent =
    `${stopper.signal.aborted ? 'Stopped' : 'Trained'} after ${trained} epoch${trained === 1 ? '' : 's'}: ` +
    `validation MAE ${evaluation.gruError.toFixed(3)} ppm, seasonal naive ${evaluation.naiveError.toFixed(3)} ppm.`;
  element('forecast').innerHTML = co2ForecastPlot(task, evaluation);
  document.body.dataset['ticks'] = String(tickCount);
  document.body.dataset['epochs'] = String(trained);
  startButton.disabled = false;
  stopButton.disabled = true;
  setState('done');
}

async function main(): Promise<void> {
  setState('loading');
  const [response] = await Promise.all([fetch('./co2.csv'), ready()]);
  if (!response.ok) throw new Error(`co2.csv: HTTP ${response.status}`);
  const csv = await response.text();
  element('backend').textContent = getBackend().name;
  status.textContent = `ready: ${epochs} epochs`;
  setState('ready');
  const run = () =>
    train(csv).catch((error: unknown) => {
      clearInterval(ticking);
      status.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
      setState('failed');
    });
  startButton.onclick = run;
  if (params.get('autostart') === '1') await run();
}

main().catch((error: unknown) => {
  status.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
  setState('failed');
});
