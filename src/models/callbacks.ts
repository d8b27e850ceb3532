/**
 * Training callbacks, Keras 3's: a `Callback` sees the training loop's events (`onTrainBegin`,
 * `onEpochEnd(epoch, logs)`, `onBatchEnd(batch, logs)`, ...) and may set `model.stopTraining`. `fit` always adds
 * a `History`, and a progress logger unless `verbose: 0`; the user's callbacks run first, in order.
 * A hook may be async: `await model.fit(...)` awaits a Promise it returns before the next hook runs
 * (`fitSync`, `evaluate` and `predict` do not wait for it).
 *
 * `logs` hold the running means of the epoch so far (`loss`, then the compiled metrics); at `onEpochEnd` they
 * also hold `val_*` values when validating.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Model } from './model.js';
import { TrainingError } from './errors.js';
import { plotHistory, type PlotHistoryOptions } from '../plot/history.js';
import { awaitIfPromise, type Step } from './steps.js';

export type Logs = Record<string, number>;

/** What `fit` tells callbacks about the run (Keras's `params`). */
export interface CallbackParams {
  verbose?: 0 | 1 | 2;
  epochs?: number;
  /** Batches per epoch (or per evaluation / prediction). */
  steps?: number;
}

/**
 * The base class: every hook does nothing. Override the ones you need; an override may be `async` (or return a
 * Promise), and `fit` awaits it (the hooks are typed `void` so that handlers like `() => list.push(x)` fit too).
 */
export class Callback {
  /** The model being trained; set by `fit` before `onTrainBegin`. */
  model: Model | null = null;
  params: CallbackParams = {};

  setModel(model: Model): void {
    this.model = model;
  }

  setParams(params: CallbackParams): void {
    this.params = params;
  }

  onTrainBegin(_logs?: Logs): void {}
  onTrainEnd(_logs?: Logs): void {}
  onEpochBegin(_epoch: number, _logs?: Logs): void {}
  onEpochEnd(_epoch: number, _logs?: Logs): void {}
  /** Before each training batch. */
  onBatchBegin(_batch: number, _logs?: Logs): void {}
  /** After each training batch (logs: running means of the epoch so far). */
  onBatchEnd(_batch: number, _logs?: Logs): void {}
  onTestBegin(_logs?: Logs): void {}
  onTestEnd(_logs?: Logs): void {}
  onTestBatchBegin(_batch: number, _logs?: Logs): void {}
  onTestBatchEnd(_batch: number, _logs?: Logs): void {}
  onPredictBegin(_logs?: Logs): void {}
  onPredictEnd(_logs?: Logs): void {}
  onPredictBatchBegin(_batch: number, _logs?: Logs): void {}
  onPredictBatchEnd(_batch: number, _logs?: Logs): void {}

  /** The model, or a clear error when the callback is used outside `fit`. */
  protected requireModel(): Model {
    if (this.model === null) {
      throw new InvalidArgumentError({
        argument: 'callback',
        expected: 'a callback attached to a model (pass it to fit)',
        received: this.constructor.name,
        context: `${this.constructor.name}`,
      });
    }
    return this.model;
  }
}

type HookName = {
  [K in keyof Callback]: Callback[K] extends (...args: never[]) => void ? K : never;
}[keyof Callback];

/** A plain object with some of the hooks, e.g. `{ onEpochEnd: (epoch, logs) => ... }`. */
export type CallbackHandlers = Partial<Pick<Callback, Exclude<HookName, 'setModel' | 'setParams' | 'requireModel'>>>;

const HOOKS = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onBatchBegin',
  'onBatchEnd',
  'onTestBegin',
  'onTestEnd',
  'onTestBatchBegin',
  'onTestBatchEnd',
  'onPredictBegin',
  'onPredictEnd',
  'onPredictBatchBegin',
  'onPredictBatchEnd',
] as const;

/** The name of a callback hook. */
export type Hook = (typeof HOOKS)[number];

/** Wraps a handlers object as a Callback (a Callback is returned as is). */
export function toCallback(value: Callback | CallbackHandlers, argument = 'callbacks', context?: string): Callback {
  if (value instanceof Callback) return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument,
      expected: 'a Callback or an object of hook functions',
      received: value,
      context,
    });
  }
  const callback = new Callback();
  for (const [key, fn] of Object.entries(value)) {
    if (!(HOOKS as readonly string[]).includes(key) || typeof fn !== 'function') {
      throw new InvalidArgumentError({
        argument: `${argument}.${key}`,
        expected: `a hook function (${HOOKS.join(', ')})`,
        received: fn,
        context,
      });
    }
    (callback as unknown as Record<string, unknown>)[key] = (fn as (...a: unknown[]) => void).bind(value);
  }
  return callback;
}

/** Records the epoch logs: `history.history.loss[i]` is the loss of the i-th epoch run. */
export class History extends Callback {
  /** The epochs run (their 0-based numbers). */
  epoch: number[] = [];
  /** Per log key (`loss`, `val_loss`, metrics), one value per epoch. */
  history: Record<string, number[]> = {};

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
    if (this.model !== null) this.model.history = this;
  }

  /** The training curves as an SVG document (a string): see `plotHistory`. */
  plot(options: PlotHistoryOptions = {}): string {
    return plotHistory(this, options);
  }
}

export interface TerminateOnNaNOptions {
  /** Throw a `TrainingError` instead of stopping cleanly (Keras's `raise_error`). Default false. */
  raiseError?: boolean;
  /** Where the message goes; default: the console. */
  print?: (message: string) => void;
}

/**
 * Stops training when the loss becomes NaN or infinite, as Keras's: the step that produced it has been
 * applied; `stopTraining` is set, so the epoch ends and `onTrainEnd` still runs. Without this callback,
 * `fit` throws a `TrainingError` instead (before applying that step).
 */
export class TerminateOnNaN extends Callback {
  readonly raiseError: boolean;
  private readonly print: (message: string) => void;

  constructor(options: TerminateOnNaNOptions = {}) {
    super();
    const raiseError = options.raiseError ?? false;
    if (typeof raiseError !== 'boolean') {
      throw new InvalidArgumentError({
        argument: 'raiseError',
        expected: 'a boolean',
        received: raiseError,
        context: 'TerminateOnNaN constructor',
      });
    }
    this.raiseError = raiseError;
    this.print = options.print ?? ((m) => console.log(m));
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) {
      throw new TrainingError(
        `NaN or Inf loss encountered at batch ${batch}. Loss value: ${loss}. Terminating training immediately.`,
        {
          batch,
          loss,
        },
      );
    }
    this.print(`Batch ${batch}: Invalid loss, terminating training`);
    this.requireModel().stopTraining = true;
  }
}

/** The callbacks of one fit/evaluate/predict run, called together; adds History and a progress logger. */
export class CallbackList {
  readonly callbacks: Callback[];
  readonly history: History | null;

  constructor(
    callbacks: readonly Callback[],
    model: Model,
    params: CallbackParams,
    defaults: { history?: History; progbar?: Callback },
  ) {
    this.callbacks = [...callbacks];
    this.history = this.callbacks.find((c): c is History => c instanceof History) ?? defaults.history ?? null;
    if (defaults.history && !this.callbacks.includes(this.history!)) this.callbacks.push(defaults.history);
    if (defaults.progbar) this.callbacks.push(defaults.progbar);
    for (const c of this.callbacks) {
      c.setModel(model);
      c.setParams(params);
    }
  }

  /** Calls `hook` on every callback in order, yielding each Promise a hook returns (for the loop drivers). */
  *run<K extends Hook>(hook: K, ...args: Parameters<Callback[K]>): Generator<Step, void, void> {
    for (const c of this.callbacks) yield* awaitIfPromise((c[hook] as (...a: unknown[]) => unknown).apply(c, args));
  }

  onTrainBegin(logs?: Logs): void {
    for (const c of this.callbacks) c.onTrainBegin(logs);
  }
  onTrainEnd(logs?: Logs): void {
    for (const c of this.callbacks) c.onTrainEnd(logs);
  }
  onEpochBegin(epoch: number, logs?: Logs): void {
    for (const c of this.callbacks) c.onEpochBegin(epoch, logs);
  }
  onEpochEnd(epoch: number, logs?: Logs): void {
    for (const c of this.callbacks) c.onEpochEnd(epoch, logs);
  }
  onBatchBegin(batch: number, logs?: Logs): void {
    for (const c of this.callbacks) c.onBatchBegin(batch, logs);
  }
  onBatchEnd(batch: number, logs?: Logs): void {
    for (const c of this.callbacks) c.onBatchEnd(batch, logs);
  }
  onTestBegin(logs?: Logs): void {
    for (const c of this.callbacks) c.onTestBegin(logs);
  }
  onTestEnd(logs?: Logs): void {
    for (const c of this.callbacks) c.onTestEnd(logs);
  }
  onTestBatchBegin(batch: number, logs?: Logs): void {
    for (const c of this.callbacks) c.onTestBatchBegin(batch, logs);
  }
  onTestBatchEnd(batch: number, logs?: Logs): void {
    for (const c of this.callbacks) c.onTestBatchEnd(batch, logs);
  }
  onPredictBegin(logs?: Logs): void {
    for (const c of this.callbacks) c.onPredictBegin(logs);
  }
  onPredictEnd(logs?: Logs): void {
    for (const c of this.callbacks) c.onPredictEnd(logs);
  }
  onPredictBatchBegin(batch: number, logs?: Logs): void {
    for (const c of this.callbacks) c.onPredictBatchBegin(batch, logs);
  }
  onPredictBatchEnd(batch: number, logs?: Logs): void {
    for (const c of this.callbacks) c.onPredictBatchEnd(batch, logs);
  }
}
