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
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Callback, CallbackList, toCallback, type CallbackHandlers, type Logs } from './callbacks.js';
import {
  batchRanges,
  checkPositiveInteger,
  checkSameBatch,
  checkVerbose,
  concatRows,
  gatherRows,
  numSamples,
  sliceRows,
  toDataTensor,
  type DataArg,
  type DataInput,
} from './data.js';
import { TrainingError } from './errors.js';
import type { CompiledState, Model, ModelOutput } from './model.js';
import { ProgbarLogger } from './progress.js';
import { PAUSE, runSync, type Steps } from './steps.js';

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

const EVALUATE_KEYS = ['batchSize', 'verbose', 'callbacks'];

export function checkOptions(options: unknown, known: readonly string[], context: string): Record<string, unknown> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({ argument: 'options', expected: 'an options object', received: options, context });
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidArgumentError({
        argument: key,
        expected: `one of the options ${known.join(', ')}`,
        received: key,
        context,
      });
    }
  }
  return options as Record<string, unknown>;
}

export function checkCallbacks(value: unknown, context: string): Callback[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument: 'callbacks',
      expected: 'an array of callbacks',
      received: value,
      context,
    });
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
export interface StepResult {
  loss: number;
  out: ModelOutput;
}

/** Where a step runs, for error messages. */
export interface StepPlace {
  epoch?: number;
  batch?: number;
}

/**
 * One gradient step on (x, y). With `guard`, a non-finite loss throws a TrainingError before the update.
 * Returns the loss and the predictions of the forward pass.
 */
export function trainStep(
  model: Model,
  compiled: CompiledState,
  x: Tensor[],
  y: Tensor[],
  guard: boolean,
  place: StepPlace,
): StepResult {
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
export class PassLogs {
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
export function prepareXY(
  model: Model,
  x: DataInput,
  y: DataInput,
  context: string,
  names: [string, string] = ['x', 'y'],
): [Tensor[], Tensor[]] {
  const xs = model.prepareInputs(x, names[0], context);
  const n = model.outputCount;
  const yList = n === 1 ? [y as DataArg] : (y as DataArg[]);
  if (!Array.isArray(yList) || yList.length !== n) {
    throw new InvalidArgumentError({
      argument: names[1],
      expected: `a list of ${n} arrays, one per model output`,
      received: y,
      context,
    });
  }
  const ys = yList.map((v, i) => toDataTensor(v, n === 1 ? names[1] : `${names[1]}[${i}]`, context));
  for (const t of [...xs.slice(1), ...ys]) checkSameBatch(xs[0]!, t, context, names);
  return [xs, ys];
}

export const rowsOf = (list: readonly Tensor[], start: number, end: number): Tensor[] =>
  list.map((t) => sliceRows(t, start, end));
export const pickRows = (list: readonly Tensor[], order: ArrayLike<number>): Tensor[] =>
  list.map((t) => gatherRows(t, order));

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

/**
 * Runs the batches of an evaluation with the test hooks (pausing between batches); the logs of the whole pass.
 * `fit` runs it on the validation data.
 */
export function* evaluatePass(
  model: Model,
  compiled: CompiledState,
  xs: Tensor[],
  ys: Tensor[],
  batchSize: number,
  callbacks: CallbackList,
): Steps<Logs> {
  const pass = new PassLogs(compiled);
  yield* callbacks.run('onTestBegin');
  const ranges = batchRanges(numSamples(xs[0]!), batchSize);
  for (let batch = 0; batch < ranges.length; batch++) {
    const [start, end] = ranges[batch]!;
    if (batch > 0) yield PAUSE;
    yield* callbacks.run('onTestBatchBegin', batch);
    const yb = rowsOf(ys, start, end);
    pass.update(end - start, yb, testStep(model, compiled, rowsOf(xs, start, end), yb));
    yield* callbacks.run('onTestBatchEnd', batch, pass.logs());
  }
  const logs = pass.logs();
  yield* callbacks.run('onTestEnd', logs);
  return logs;
}

/** `evaluate`'s loop, for either driver (runSync: `evaluate`, runAsync: `evaluateAsync`). */
export function* evaluateSteps(model: Model, x: DataInput, y: DataInput, options: EvaluateOptions = {}): Steps<Logs> {
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
  return yield* evaluatePass(model, compiled, xs, ys, batchSize, callbacks);
}

/** `predict`'s loop, for either driver (runSync: `predict`, runAsync: `predictAsync`). */
export function* predictSteps(model: Model, x: DataInput, options: PredictOptions = {}): Steps<Tensor | Tensor[]> {
  const context = `${model.className} '${model.name}'.predict`;
  const o = checkOptions(options, EVALUATE_KEYS, context);
  const batchSize = checkPositiveInteger(o.batchSize ?? 32, 'batchSize', context);
  const verbose = checkVerbose(o.verbose, 0, context);
  const user = checkCallbacks(o.callbacks, context);
  const xs = model.prepareInputs(x, 'x', context);
  const ranges = batchRanges(numSamples(xs[0]!), batchSize);
  const progbar = verbose !== 0 && !user.some((c) => c instanceof ProgbarLogger) ? new ProgbarLogger() : undefined;
  const callbacks = new CallbackList(user, model, { verbose, epochs: 1, steps: ranges.length }, { progbar });
  yield* callbacks.run('onPredictBegin');
  const outputs: Tensor[][] = [];
  for (let batch = 0; batch < ranges.length; batch++) {
    const [start, end] = ranges[batch]!;
    if (batch > 0) yield PAUSE;
    yield* callbacks.run('onPredictBatchBegin', batch);
    outputs.push(
      noGrad(() => model.forward(ranges.length === 1 ? xs : rowsOf(xs, start, end), { training: false }).outputs),
    );
    yield* callbacks.run('onPredictBatchEnd', batch);
  }
  yield* callbacks.run('onPredictEnd');
  const joined = outputs[0]!.map((_, i) =>
    outputs.length === 1 ? outputs[0]![i]! : concatRows(outputs.map((o) => o[i]!)),
  );
  return joined.length === 1 ? joined[0]! : joined;
}

export const evaluate = (model: Model, x: DataInput, y: DataInput, options?: EvaluateOptions): Logs =>
  runSync(evaluateSteps(model, x, y, options));
export const predict = (model: Model, x: DataInput, options?: PredictOptions): Tensor | Tensor[] =>
  runSync(predictSteps(model, x, options));
