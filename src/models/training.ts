/**
 * The training loop, as Keras 3's `Trainer` with the TensorFlow backend runs it.
 *
 * One training step: forward in training mode under `valueAndGrads` with respect to every trainable weight;
 * loss = compiled loss + every layer's `losses` (weight and activity regularization); the optimizer's update;
 * then each updated weight's constraint. The loss reported is that of the forward pass, before the update.
 *
 * `fit` runs epochs of shuffled batches with callbacks; the logged `loss` and metrics are running means over the
 * epoch (weighted by batch size), `val_*` come from `evaluate` on the validation data after each epoch.
 * A loss that becomes NaN or infinite throws a `TrainingError` before its update is applied, unless a
 * `TerminateOnNaN` callback is given (then the step is applied and training stops cleanly, as in Keras).
 */
import { noGrad, valueAndGrads } from '../autodiff/tape.js';
import { InvalidArgumentError } from '../errors.js';
import { add, mul } from '../ops/arithmetic.js';
import { randomFor } from '../random/rng.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Callback, CallbackList, History, TerminateOnNaN, toCallback, type CallbackHandlers, type Logs } from './callbacks.js';
import {
  batchRanges,
  checkNonNegativeInteger,
  checkPositiveInteger,
  checkSameBatch,
  checkVerbose,
  concatRows,
  gatherRows,
  numSamples,
  permutation,
  sliceRows,
  splitForValidation,
  toDataTensor,
  type DataArg,
  type DataInput,
} from './data.js';
import { TrainingError } from './errors.js';
import type { CompiledState, Model, ModelOutput } from './model.js';
import { ProgbarLogger } from './progress.js';

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
}

export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** Default 0 (silent); 1 shows a progress bar, 2 one line. */
  verbose?: 0 | 1 | 2 | 'auto';
  callbacks?: readonly (Callback | CallbackHandlers)[];
}

export interface PredictOptions {
  /** Default 32. */
  batchSize?: number;
  /** Default 0 (silent). */
  verbose?: 0 | 1 | 2 | 'auto';
  callbacks?: readonly (Callback | CallbackHandlers)[];
}

const FIT_KEYS = [
  'batchSize', 'epochs', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'validationBatchSize', 'shuffle',
  'seed', 'initialEpoch',
];
const EVALUATE_KEYS = ['batchSize', 'verbose', 'callbacks'];

function checkOptions(options: unknown, known: readonly string[], context: string): Record<string, unknown> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({ argument: 'options', expected: 'an options object', received: options, context });
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidArgumentError({ argument: key, expected: `one of the options ${known.join(', ')}`, received: key, context });
    }
  }
  return options as Record<string, unknown>;
}

function checkCallbacks(value: unknown, context: string): Callback[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError({ argument: 'callbacks', expected: 'an array of callbacks', received: value, context });
  }
  return value.map((c, i) => toCallback(c as Callback | CallbackHandlers, `callbacks[${i}]`, context));
}

/**
 * The scalar total loss: the compiled loss of each output, summed, plus the layers' losses (as Keras's
 * `compute_loss`).
 */
function totalLoss(model: Model, compiled: CompiledState, ys: readonly Tensor[], out: ModelOutput): Tensor {
  let total: Tensor | null = null;
  out.outputs.forEach((yPred, i) => {
    const l = compiled.loss.call(ys[i]!, yPred, null, out.masks[i] ?? null);
    if (l.size !== 1) {
      throw new InvalidArgumentError({
        argument: 'loss',
        expected: 'a loss returning a scalar',
        received: `a tensor of shape ${formatShape(l.shape)}`,
        context: `${model.className} '${model.name}'`,
      });
    }
    total = total === null ? l : add(total, l);
  });
  let sum = total!;
  for (const extra of model.losses) sum = add(sum, extra);
  return sum;
}

/** What a step reports: the total loss, and the predictions with their masks (for the metrics). */
interface StepResult {
  loss: number;
  out: ModelOutput;
}

/** Where a step runs, for error messages. */
interface StepPlace {
  epoch?: number;
  batch?: number;
}

/**
 * One gradient step on (x, y). With `guard`, a non-finite loss throws a TrainingError before the update.
 * Returns the loss and the predictions of the forward pass.
 */
function trainStep(model: Model, compiled: CompiledState, x: Tensor[], y: Tensor[], guard: boolean, place: StepPlace): StepResult {
  const variables = model.trainableWeights;
  const { optimizer } = compiled;
  let out: ModelOutput | null = null;
  let loss = Number.NaN;
  const { grads } = valueAndGrads(() => {
    out = model.forward(x, { training: true });
    const total = totalLoss(model, compiled, y, out);
    loss = total.values[0]!;
    // Keras's optimizer.scale_loss: the gradients are divided back by the factor in applyGradients.
    return optimizer.lossScaleFactor === null ? total : mul(total, optimizer.lossScaleFactor);
  }, variables);
  if (guard && !Number.isFinite(loss)) {
    const where = place.epoch === undefined ? '' : ` at epoch ${place.epoch + 1}, batch ${place.batch}`;
    throw new TrainingError(
      `${model.className} '${model.name}': the loss became ${loss}${where}; training stopped before applying this step ` +
        '(lower the learning rate, clip gradients, check the data for NaN/Infinity, or pass a TerminateOnNaN callback to stop without an error)',
      { ...place, loss },
    );
  }
  noGrad(() => {
    if (variables.length > 0) optimizer.applyGradients(grads.map((g, i) => [g, variables[i]!] as const));
    // Keras applies each trainable variable's constraint after the update.
    const updated = new Set(variables);
    for (const w of model.trackedWeights) {
      if (w.constraint !== null && updated.has(w.variable)) w.variable.assign(w.constraint.call(w.variable));
    }
  });
  return { loss, out: out! };
}

/** The loss and predictions on (x, y) in inference mode. */
function testStep(model: Model, compiled: CompiledState, x: Tensor[], y: Tensor[]): StepResult {
  return noGrad(() => {
    const out = model.forward(x, { training: false });
    return { loss: totalLoss(model, compiled, y, out).values[0]!, out };
  });
}

/** Keras's loss tracker: a float32 mean weighted by batch size. */
class MeanTracker {
  private total = 0;
  private count = 0;
  update(value: number, weight: number): void {
    this.total = Math.fround(this.total + Math.fround(value * weight));
    this.count = Math.fround(this.count + weight);
  }
  result(): number {
    return this.count === 0 ? 0 : Math.fround(this.total / this.count);
  }
}

/** Loss tracker and metrics of one pass (Keras's `model.metrics`, reset together). */
class PassLogs {
  private readonly tracker = new MeanTracker();

  constructor(private readonly compiled: CompiledState) {
    for (const m of compiled.metrics) m.reset();
  }

  update(batchSize: number, y: readonly Tensor[], step: StepResult): void {
    this.tracker.update(step.loss, batchSize);
    noGrad(() => {
      this.compiled.outputMetrics.forEach((metrics, i) => {
        for (const m of metrics) m.update(y[i]!, step.out.outputs[i]!, null, step.out.masks[i] ?? null);
      });
    });
  }

  logs(): Logs {
    const logs: Logs = { loss: this.tracker.result() };
    this.compiled.outputMetrics.forEach((metrics, i) => {
      metrics.forEach((m, k) => (logs[this.compiled.metricNames[i]![k]!] = m.result()));
    });
    return logs;
  }
}

/** Inputs (one tensor per model input) and targets (one per output), all with the same number of samples. */
function prepareXY(model: Model, x: DataInput, y: DataInput, context: string, names: [string, string] = ['x', 'y']): [Tensor[], Tensor[]] {
  const xs = model.prepareInputs(x, names[0], context);
  const n = model.outputCount;
  const yList = n === 1 ? [y as DataArg] : (y as DataArg[]);
  if (!Array.isArray(yList) || yList.length !== n) {
    throw new InvalidArgumentError({ argument: names[1], expected: `a list of ${n} arrays, one per model output`, received: y, context });
  }
  const ys = yList.map((v, i) => toDataTensor(v, n === 1 ? names[1] : `${names[1]}[${i}]`, context));
  for (const t of [...xs.slice(1), ...ys]) checkSameBatch(xs[0]!, t, context, names);
  return [xs, ys];
}

const rowsOf = (list: readonly Tensor[], start: number, end: number): Tensor[] => list.map((t) => sliceRows(t, start, end));
const pickRows = (list: readonly Tensor[], order: ArrayLike<number>): Tensor[] => list.map((t) => gatherRows(t, order));

export function trainOnBatch(model: Model, x: DataInput, y: DataInput): Logs {
  const context = `${model.className} '${model.name}'.trainOnBatch`;
  const compiled = model.requireCompiled('trainOnBatch');
  const [xs, ys] = prepareXY(model, x, y, context);
  const pass = new PassLogs(compiled);
  pass.update(numSamples(xs[0]!), ys, trainStep(model, compiled, xs, ys, true, {}));
  return pass.logs();
}

export function testOnBatch(model: Model, x: DataInput, y: DataInput): Logs {
  const context = `${model.className} '${model.name}'.testOnBatch`;
  const compiled = model.requireCompiled('testOnBatch');
  const [xs, ys] = prepareXY(model, x, y, context);
  const pass = new PassLogs(compiled);
  pass.update(numSamples(xs[0]!), ys, testStep(model, compiled, xs, ys));
  return pass.logs();
}

/** Runs the batches of an evaluation with the test hooks; the logs of the whole pass. */
function evaluatePass(model: Model, compiled: CompiledState, xs: Tensor[], ys: Tensor[], batchSize: number, callbacks: CallbackList): Logs {
  const pass = new PassLogs(compiled);
  callbacks.onTestBegin();
  batchRanges(numSamples(xs[0]!), batchSize).forEach(([start, end], batch) => {
    callbacks.onTestBatchBegin(batch);
    const yb = rowsOf(ys, start, end);
    pass.update(end - start, yb, testStep(model, compiled, rowsOf(xs, start, end), yb));
    callbacks.onTestBatchEnd(batch, pass.logs());
  });
  const logs = pass.logs();
  callbacks.onTestEnd(logs);
  return logs;
}

export function evaluate(model: Model, x: DataInput, y: DataInput, options: EvaluateOptions = {}): Logs {
  const context = `${model.className} '${model.name}'.evaluate`;
  const o = checkOptions(options, EVALUATE_KEYS, context);
  const compiled = model.requireCompiled('evaluate');
  const batchSize = checkPositiveInteger(o.batchSize ?? 32, 'batchSize', context);
  const verbose = checkVerbose(o.verbose, 0, context);
  const user = checkCallbacks(o.callbacks, context);
  const [xs, ys] = prepareXY(model, x, y, context);
  const steps = batchRanges(numSamples(xs[0]!), batchSize).length;
  const progbar = verbose !== 0 && !user.some((c) => c instanceof ProgbarLogger) ? new ProgbarLogger() : undefined;
  const callbacks = new CallbackList(user, model, { verbose, epochs: 1, steps }, { progbar });
  return evaluatePass(model, compiled, xs, ys, batchSize, callbacks);
}

export function predict(model: Model, x: DataInput, options: PredictOptions = {}): Tensor | Tensor[] {
  const context = `${model.className} '${model.name}'.predict`;
  const o = checkOptions(options, EVALUATE_KEYS, context);
  const batchSize = checkPositiveInteger(o.batchSize ?? 32, 'batchSize', context);
  const verbose = checkVerbose(o.verbose, 0, context);
  const user = checkCallbacks(o.callbacks, context);
  const xs = model.prepareInputs(x, 'x', context);
  const ranges = batchRanges(numSamples(xs[0]!), batchSize);
  const progbar = verbose !== 0 && !user.some((c) => c instanceof ProgbarLogger) ? new ProgbarLogger() : undefined;
  const callbacks = new CallbackList(user, model, { verbose, epochs: 1, steps: ranges.length }, { progbar });
  callbacks.onPredictBegin();
  const outputs = ranges.map(([start, end], batch) => {
    callbacks.onPredictBatchBegin(batch);
    const out = noGrad(() => model.forward(ranges.length === 1 ? xs : rowsOf(xs, start, end), { training: false }).outputs);
    callbacks.onPredictBatchEnd(batch);
    return out;
  });
  callbacks.onPredictEnd();
  const joined = outputs[0]!.map((_, i) => (outputs.length === 1 ? outputs[0]![i]! : concatRows(outputs.map((o) => o[i]!))));
  return joined.length === 1 ? joined[0]! : joined;
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
}

function resolveFitOptions(options: FitOptions, context: string): ResolvedFit {
  const o = checkOptions(options, FIT_KEYS, context);
  const batchSize = checkPositiveInteger(o.batchSize ?? 32, 'batchSize', context);
  const validationSplit = o.validationSplit ?? 0;
  if (typeof validationSplit !== 'number' || !(validationSplit >= 0 && validationSplit < 1)) {
    throw new InvalidArgumentError({ argument: 'validationSplit', expected: 'a number in [0, 1)', received: validationSplit, context });
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
  };
}

export function fit(model: Model, x: DataInput, y: DataInput, options: FitOptions = {}): History {
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
    validation = prepareXY(model, vd[0] as DataInput, vd[1] as DataInput, context, ['validationData[0]', 'validationData[1]']);
  } else if (o.validationSplit > 0) {
    const split = splitForValidation(xs, ys, o.validationSplit, context);
    [xs, ys] = split.train;
    validation = split.validation;
  }

  const n = numSamples(xs[0]!);
  const ranges = batchRanges(n, o.batchSize);
  const history = new History();
  const progbar = o.verbose !== 0 && !o.callbacks.some((c) => c instanceof ProgbarLogger) ? new ProgbarLogger() : undefined;
  const callbacks = new CallbackList(o.callbacks, model, { verbose: o.verbose, epochs: o.epochs, steps: ranges.length }, { history, progbar });
  // Without TerminateOnNaN, a non-finite loss is an error (thrown before the bad update).
  const guard = !o.callbacks.some((c) => c instanceof TerminateOnNaN);
  const random = o.shuffle ? randomFor(o.seed) : null;

  model.stopTraining = false;
  callbacks.onTrainBegin();
  let trainingLogs: Logs | undefined;
  for (let epoch = o.initialEpoch; epoch < o.epochs; epoch++) {
    const pass = new PassLogs(compiled);
    callbacks.onEpochBegin(epoch);
    const order = random === null ? null : permutation(n, random);
    let logs: Logs = {};
    for (let batch = 0; batch < ranges.length; batch++) {
      const [start, end] = ranges[batch]!;
      callbacks.onBatchBegin(batch);
      const xb = order === null ? rowsOf(xs, start, end) : pickRows(xs, order.subarray(start, end));
      const yb = order === null ? rowsOf(ys, start, end) : pickRows(ys, order.subarray(start, end));
      pass.update(end - start, yb, trainStep(model, compiled, xb, yb, guard, { epoch, batch }));
      logs = pass.logs();
      callbacks.onBatchEnd(batch, logs);
      if (model.stopTraining) break;
    }
    const epochLogs: Logs = { ...logs };
    if (validation !== null) {
      const valLogs = evaluatePass(model, compiled, validation[0], validation[1], o.validationBatchSize, callbacks);
      for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
    }
    callbacks.onEpochEnd(epoch, epochLogs);
    trainingLogs = epochLogs;
    if (model.stopTraining) break;
  }
  if (o.epochs > 0) noGrad(() => compiled.optimizer.finalizeVariableValues());
  callbacks.onTrainEnd(trainingLogs);
  model.history = callbacks.history ?? history;
  return model.history;
}
