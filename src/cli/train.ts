/**
 * `keras-gru train`: a forecaster for one CSV column — the last `--window` values predict the value
 * `--horizon` steps later. The model is a GRU → Dense by default, or one from a file or a Keras config; the
 * last `--validation` part of the series validates, early stopping keeps the best epoch, and the model
 * (taking and returning raw values) and the training history are written.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import {
  Adam,
  Dense,
  EarlyStopping,
  GRU,
  Sequential,
  input,
  loadModel,
  modelFromKerasConfig,
  plotHistory,
  readCsv,
  setRandomSeed,
  tensor,
  type History,
  type Model,
} from '../index.js';
import { FileFormatError } from '../io/errors.js';
import { UsageError } from './errors.js';
import { kerasShape } from './format.js';
import { modelPorts } from './model-io.js';
import { foldStandardization, foldTargets, unfoldStandardization } from './standardize.js';
import { fillMissing, forecastWindows } from './windows.js';

export interface TrainOptions {
  config?: string;
  data: string;
  column: string;
  window: number;
  horizon: number;
  epochs: number;
  batchSize: number;
  units: number;
  learningRate: number;
  validation: number;
  patience: number;
  seed?: number;
  out: string;
  history?: string;
  plot?: string;
  overwrite?: boolean;
  quiet?: boolean;
  missing: 'error' | 'interpolate';
}

function checkOutputs(options: TrainOptions): { history: string } {
  if (!options.out.endsWith('.keras') && !options.out.endsWith('.weights.h5'))
    throw new UsageError(`--out ${options.out}: expected a .keras (or .weights.h5) file`);
  const history = options.history ?? options.out.replace(/(\.weights\.h5|\.keras)$/, '.history.csv');
  if (!history.endsWith('.csv') && !history.endsWith('.json'))
    throw new UsageError(`--history ${history}: expected a .csv or .json file`);
  if (options.plot !== undefined && !options.plot.endsWith('.svg'))
    throw new UsageError(`--plot ${options.plot}: expected an .svg file`);
  if (!options.overwrite) {
    for (const path of [options.out, history, options.plot]) {
      if (path !== undefined && existsSync(path))
        throw new UsageError(`${path}: file exists; pass --overwrite to replace it`);
    }
  }
  return { history };
}

async function buildModel(file: string | undefined, options: TrainOptions): Promise<Model> {
  if (file !== undefined && options.config !== undefined)
    throw new UsageError('give a model FILE or --config, not both');
  let model: Model;
  if (file !== undefined) model = await loadModel(file);
  else if (options.config !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(options.config, 'utf8'));
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new FileFormatError(`not JSON (${error.message})`, { file: options.config });
      throw error;
    }
    model = modelFromKerasConfig(json, { file: options.config });
  } else {
    model = new Sequential([
      input({ shape: [options.window, 1] }),
      new GRU({ units: options.units, ...(options.seed !== undefined ? { seed: options.seed } : {}) }),
      new Dense({ units: 1 }),
    ]);
  }
  const { inputs } = modelPorts(model);
  const shape = inputs.length === 1 ? inputs[0]!.shape : [];
  if (
    inputs.length !== 1 ||
    shape.length !== 3 ||
    (shape[1] !== null && shape[1] !== options.window) ||
    shape[2] !== 1
  ) {
    const got = inputs.map((t) => kerasShape(t.shape)).join(', ');
    throw new FileFormatError(
      `the model's input ${got} does not take windows of ${options.window} values of one column: expected (None, ${options.window}, 1)`,
      {
        file: file ?? options.config ?? '<model>',
      },
    );
  }
  if (!model.compiled)
    model.compile({ optimizer: new Adam({ learningRate: options.learningRate }), loss: 'mse', metrics: ['mae'] });
  return model;
}

function historyText(history: History, path: string): string {
  const keys = Object.keys(history.history);
  if (path.endsWith('.json')) return `${JSON.stringify({ epoch: history.epoch, history: history.history }, null, 2)}\n`;
  const lines = [['epoch', ...keys].join(',')];
  history.epoch.forEach((epoch, i) =>
    lines.push([String(epoch), ...keys.map((k) => String(history.history[k]![i]))].join(',')),
  );
  return `${lines.join('\n')}\n`;
}

export async function train(file: string | undefined, options: TrainOptions): Promise<void> {
  const { history: historyPath } = checkOutputs(options);
  if (options.seed !== undefined) setRandomSeed(options.seed);
  const model = await buildModel(file, options);
  const targets = foldTargets(model);
  if (targets === null)
    process.stderr.write(
      'note: the model is not a GRU on one feature ending in Dense(1), so it trains on raw, unstandardized values\n',
    );
  const table = await readCsv(options.data);
  const values = fillMissing(
    table.column(options.column, { missing: 'nan' }),
    options.column,
    options.missing,
    options.data,
  );
  const data = forecastWindows(
    values,
    options.column,
    options.window,
    options.horizon,
    options.validation,
    targets !== null,
  );
  // A model from a file takes raw values (as this command saves it): it trains on standardized ones.
  if (targets !== null && file !== undefined) unfoldStandardization(targets, data.mean, data.std);
  const { window } = options;
  const split = (from: number, to: number) =>
    [
      tensor(data.x.subarray(from * window, to * window), [to - from, window, 1]),
      tensor(data.y.subarray(from, to), [to - from, 1]),
    ] as const;
  const [xTrain, yTrain] = split(0, data.trainCount);
  const validating = data.trainCount < data.count;
  const monitor = validating ? 'val_loss' : 'loss';
  const early = new EarlyStopping({ monitor, patience: options.patience, restoreBestWeights: true });
  const log = (line: string) => console.log(line);
  log(
    `training on ${data.trainCount} windows of ${window} values of '${options.column}', validating on ${data.count - data.trainCount}`,
  );
  // `await` works whether fit returns the History or a Promise of it.
  const history: History = await model.fit(xTrain, yTrain, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    verbose: options.quiet ? 0 : 2,
    callbacks: [early],
    ...(validating ? { validationData: split(data.trainCount, data.count) as [never, never] } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  if (targets !== null) foldStandardization(targets, data.mean, data.std);
  const ran = history.epoch.length;
  const best = history.history[monitor] ?? [];
  const bestEpoch = best.indexOf(Math.min(...best));
  log(
    `${early.stoppedEpoch > 0 ? `stopped early after ${ran} epochs` : `ran ${ran} epochs`}; best ${monitor} ${best[bestEpoch]} at epoch ${bestEpoch + 1} (weights from that epoch)`,
  );
  if (options.out.endsWith('.weights.h5'))
    await model.saveWeights(options.out, { overwrite: options.overwrite === true });
  else await model.save(options.out, { overwrite: options.overwrite === true });
  await writeFile(historyPath, historyText(history, historyPath));
  const wrote = [options.out, historyPath];
  if (options.plot !== undefined) {
    await writeFile(options.plot, plotHistory(history, { title: `Training: ${options.column}` }));
    wrote.push(options.plot);
  }
  log(`wrote ${wrote.join(', ')}`);
}
