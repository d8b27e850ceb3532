/**
 * `fit`: epochs of (shuffled) batches with callbacks, as Keras 3's `Trainer.fit` runs them; the steps it takes
 * and the logs it keeps are in training.ts. The loop is one generator (`fitSteps`) that the asynchronous driver
 * (`fit`: yields to the event loop between batches, awaits async callbacks) and the synchronous one (`fitSync`)
 * both step, so the two give the same numbers bit for bit.
 *
 * Stopping: a callback setting `model.stopTraining` ends the epoch after the current batch (its validation and
 * `onEpochEnd` still run, as in Keras); an aborted `signal` stops before the next batch (see FitOptions.signal).
 */
import { noGrad } from '../autodiff/tape.js';
import { InvalidArgumentError } from '../errors.js';
import { randomFor } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { CallbackList, History, TerminateOnNaN, type Callback, type CallbackHandlers, type Logs } from './callbacks.js';
import {
  batchRanges,
  checkNonNegativeInteger,
  checkPositiveInteger,
  checkVerbose,
  numSamples,
  permutation,
  splitForValidation,
  type DataInput,
} from './data.js';
import type { Model } from './model.js';
import { ProgbarLogger } from './progress.js';
import { PAUSE, runAsync, runSync, type Steps } from './steps.js';
import {
  checkCallbacks,
  checkOptions,
  evaluatePass,
  PassLogs,
  pickRows,
  prepareXY,
  rowsOf,
  trainStep,
} from './training.js';

export interface FitOptions {
  /** Samples per gradient step. Default 32. */
  batchSize?: number;
  /** Train until this epoch (exclusive). Default 1. */
  epochs?: number;
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2 | 'auto';
  callbacks?: readonly (Callback | CallbackHandlers)[];
  /** Fraction of the data, taken from the END (before shuffling), held out for validation. In [0, 1). */
  validationSplit?: number;
  /** `[xVal, yVal]`; takes precedence over `validationSplit`. */
  validationData?: readonly [DataInput, DataInput];
  /** Batch size for validation. Default: `batchSize`. */
  validationBatchSize?: number;
  /** Shuffle the training samples before each epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffling, for reproducible runs. Default: drawn from the global generator. */
  seed?: number;
  /** The epoch to start from (to resume a run): epochs run are initialEpoch..epochs−1. Default 0. */
  initialEpoch?: number;
  /**
   * Stops training between batches once aborted (e.g. an `AbortController`'s signal, for a page's Stop button).
   * `fit` then resolves with the History of the epochs completed before the abort (the epoch under way is not
   * recorded, nor validated, though its batches so far did update the weights); `onTrainEnd` still runs.
   */
  signal?: AbortSignal;
}

const FIT_KEYS = [
  'batchSize',
  'epochs',
  'verbose',
  'callbacks',
  'validationSplit',
  'validationData',
  'validationBatchSize',
  'shuffle',
  'seed',
  'initialEpoch',
  'signal',
];

/** An AbortSignal, or anything with its `aborted` flag (signals from another realm, polyfills). */
function checkSignal(value: unknown, context: string): AbortSignal | null {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object' || typeof (value as { aborted?: unknown }).aborted !== 'boolean') {
    throw new InvalidArgumentError({ argument: 'signal', expected: 'an AbortSignal', received: value, context });
  }
  return value as AbortSignal;
}

interface ResolvedFit {
  batchSize: number;
  epochs: number;
  initialEpoch: number;
  verbose: 0 | 1 | 2;
  shuffle: boolean;
  seed: number | undefined;
  validationSplit: number;
  validationBatchSize: number;
  callbacks: Callback[];
  signal: AbortSignal | null;
}

function resolveFitOptions(options: FitOptions, context: string): ResolvedFit {
  const o = checkOptions(options, FIT_KEYS, context);
  const batchSize = checkPositiveInteger(o.batchSize ?? 32, 'batchSize', context);
  const validationSplit = o.validationSplit ?? 0;
  if (typeof validationSplit !== 'number' || !(validationSplit >= 0 && validationSplit < 1)) {
    throw new InvalidArgumentError({
      argument: 'validationSplit',
      expected: 'a number in [0, 1)',
      received: validationSplit,
      context,
    });
  }
  const shuffle = o.shuffle ?? true;
  if (typeof shuffle !== 'boolean') {
    throw new InvalidArgumentError({ argument: 'shuffle', expected: 'a boolean', received: shuffle, context });
  }
  const seed = o.seed;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    throw new InvalidArgumentError({ argument: 'seed', expected: 'an integer', received: seed, context });
  }
  return {
    batchSize,
    epochs: checkNonNegativeInteger(o.epochs ?? 1, 'epochs', context),
    initialEpoch: checkNonNegativeInteger(o.initialEpoch ?? 0, 'initialEpoch', context),
    verbose: checkVerbose(o.verbose, 1, context),
    shuffle,
    seed,
    validationSplit,
    validationBatchSize: checkPositiveInteger(o.validationBatchSize ?? batchSize, 'validationBatchSize', context),
    callbacks: checkCallbacks(o.callbacks, context),
    signal: checkSignal(o.signal, context),
  };
}

/**
 * The whole fit loop, written once: `fit` steps it with `runAsync`, `fitSync` with `runSync` (steps.ts).
 * It yields `PAUSE` before every batch but the first, and every Promise a callback hook returns.
 */
export function* fitSteps(model: Model, x: DataInput, y: DataInput, options: FitOptions = {}): Steps<History> {
  const context = `${model.className} '${model.name}'.fit`;
  const compiled = model.requireCompiled('fit');
  const o = resolveFitOptions(options, context);
  let [xs, ys] = prepareXY(model, x, y, context);
  let validation: [Tensor[], Tensor[]] | null = null;
  if (options.validationData !== undefined) {
    const vd = options.validationData as unknown;
    if (!Array.isArray(vd) || vd.length !== 2) {
      throw new InvalidArgumentError({ argument: 'validationData', expected: '[xVal, yVal]', received: vd, context });
    }
    validation = prepareXY(model, vd[0] as DataInput, vd[1] as DataInput, context, [
      'validationData[0]',
      'validationData[1]',
    ]);
  } else if (o.validationSplit > 0) {
    const split = splitForValidation(xs, ys, o.validationSplit, context);
    [xs, ys] = split.train;
    validation = split.validation;
  }

  const n = numSamples(xs[0]!);
  const ranges = batchRanges(n, o.batchSize);
  const history = new History();
  const progbar =
    o.verbose !== 0 && !o.callbacks.some((c) => c instanceof ProgbarLogger) ? new ProgbarLogger() : undefined;
  const callbacks = new CallbackList(
    o.callbacks,
    model,
    { verbose: o.verbose, epochs: o.epochs, steps: ranges.length },
    { history, progbar },
  );
  // Without TerminateOnNaN, a non-finite loss is an error (thrown before the bad update).
  const guard = !o.callbacks.some((c) => c instanceof TerminateOnNaN);
  const random = o.shuffle ? randomFor(o.seed) : null;

  model.stopTraining = false;
  const aborted = (): boolean => o.signal?.aborted === true;
  yield* callbacks.run('onTrainBegin');
  let trainingLogs: Logs | undefined;
  let batches = 0;
  epochs: for (let epoch = o.initialEpoch; epoch < o.epochs && !aborted(); epoch++) {
    const pass = new PassLogs(compiled);
    yield* callbacks.run('onEpochBegin', epoch);
    const order = random === null ? null : permutation(n, random);
    let logs: Logs = {};
    for (let batch = 0; batch < ranges.length; batch++) {
      if (batches++ > 0) yield PAUSE;
      if (aborted()) break epochs;
      const [start, end] = ranges[batch]!;
      yield* callbacks.run('onBatchBegin', batch);
      const xb = order === null ? rowsOf(xs, start, end) : pickRows(xs, order.subarray(start, end));
      const yb = order === null ? rowsOf(ys, start, end) : pickRows(ys, order.subarray(start, end));
      pass.update(end - start, yb, trainStep(model, compiled, xb, yb, guard, { epoch, batch }));
      logs = pass.logs();
      yield* callbacks.run('onBatchEnd', batch, logs);
      if (model.stopTraining) break;
    }
    const epochLogs: Logs = { ...logs };
    if (validation !== null) {
      const valLogs = yield* evaluatePass(
        model,
        compiled,
        validation[0],
        validation[1],
        o.validationBatchSize,
        callbacks,
      );
      for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
    }
    yield* callbacks.run('onEpochEnd', epoch, epochLogs);
    trainingLogs = epochLogs;
    if (model.stopTraining) break;
  }
  if (o.epochs > 0) noGrad(() => compiled.optimizer.finalizeVariableValues());
  yield* callbacks.run('onTrainEnd', trainingLogs);
  model.history = callbacks.history ?? history;
  return model.history;
}

/** Trains, yielding to the event loop between batches and awaiting async callbacks. */
export const fit = (model: Model, x: DataInput, y: DataInput, options?: FitOptions): Promise<History> =>
  runAsync(fitSteps(model, x, y, options));

/** The same run without pausing: the same numbers bit for bit; callbacks' Promises are not awaited. */
export const fitSync = (model: Model, x: DataInput, y: DataInput, options?: FitOptions): History =>
  runSync(fitSteps(model, x, y, options));
