/**
 * Callbacks that watch one logged quantity across epochs, as Keras 3's `MonitorCallback` subclasses:
 * `EarlyStopping` and `ReduceLROnPlateau`. A value improves on the best so far when it is lower by more than
 * `minDelta` (mode `min`) or higher by more than `minDelta` (mode `max`); mode `auto` minimizes losses and
 * infers the direction of metrics.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Callback, type Logs } from './callbacks.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** Metric names Keras maximizes (their `_direction` is "up"). */
const MAXIMIZED = /(^|_)(acc|accuracy|auc|precision|recall|r2_score|f1_score|fbeta_score|iou|cosine_similarity)($|_)/;

function checkNumber(
  value: unknown,
  argument: string,
  context: string,
  ok: (v: number) => boolean,
  expected: string,
): number {
  if (typeof value !== 'number' || Number.isNaN(value) || !ok(value)) {
    throw new InvalidArgumentError({ argument, expected, received: value, context });
  }
  return value;
}

function checkMode(value: unknown, context: string): MonitorMode {
  if (value !== 'auto' && value !== 'min' && value !== 'max') {
    throw new InvalidArgumentError({ argument: 'mode', expected: "'auto', 'min' or 'max'", received: value, context });
  }
  return value;
}

function checkVerbose(value: unknown, context: string): 0 | 1 {
  if (value !== 0 && value !== 1)
    throw new InvalidArgumentError({ argument: 'verbose', expected: '0 or 1', received: value, context });
  return value;
}

const integer = (v: number): boolean => Number.isInteger(v) && v >= 0;

/** The base of callbacks that watch one logged quantity (Keras's `MonitorCallback`). */
export abstract class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: MonitorMode;
  /** The best monitored value so far (null before the first). */
  best: number | null = null;
  protected minDelta: number;
  /** true: lower is better. Decided at the first epoch end (mode auto looks at the compiled metrics). */
  private lowerIsBetter: boolean | null = null;
  protected readonly print: (message: string) => void;
  private warned = false;

  protected constructor(
    monitor: unknown,
    mode: unknown,
    minDelta: unknown,
    print: ((m: string) => void) | undefined,
    context: string,
  ) {
    super();
    if (typeof monitor !== 'string' || monitor.length === 0) {
      throw new InvalidArgumentError({
        argument: 'monitor',
        expected: "a log key such as 'val_loss'",
        received: monitor,
        context,
      });
    }
    this.monitor = monitor;
    this.mode = checkMode(mode, context);
    this.minDelta = Math.abs(checkNumber(minDelta, 'minDelta', context, Number.isFinite, 'a finite number'));
    this.print = print ?? ((m) => console.log(m));
  }

  private decideDirection(): boolean {
    if (this.mode !== 'auto') return this.mode === 'min';
    const name = this.monitor.startsWith('val_') ? this.monitor.slice(4) : this.monitor;
    if (name === 'loss') return true;
    const metric = this.model?.metrics.find((m) => m.name === name) as { direction?: unknown } | undefined;
    if (metric?.direction === 'up' || metric?.direction === 'down') return metric.direction === 'down';
    if (MAXIMIZED.test(name)) return false;
    if (metric !== undefined) return true;
    throw new InvalidArgumentError({
      argument: 'mode',
      expected: `'min' or 'max': cannot tell whether '${this.monitor}' should be minimized or maximized`,
      received: this.mode,
      context: this.constructor.name,
    });
  }

  /** Sets the direction on first use (Keras's `_set_monitor_op`). */
  protected ensureDirection(): void {
    if (this.lowerIsBetter !== null) return;
    this.lowerIsBetter = this.decideDirection();
    if (this.lowerIsBetter) this.minDelta = -this.minDelta;
  }

  protected isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.lowerIsBetter! ? value - this.minDelta < reference : value - this.minDelta > reference;
  }

  protected monitorValue(logs: Logs | undefined, what: string): number | null {
    const value = logs?.[this.monitor];
    if (value === undefined) {
      // Once per callback, as Python shows a warning once per place.
      if (this.warned) return null;
      this.warned = true;
      console.warn(
        `${what} conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs ?? {}).join(',')}`,
      );
      return null;
    }
    return value;
  }
}

export interface EarlyStoppingOptions {
  /** Default `'val_loss'`. */
  monitor?: string;
  /** The smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** The waiting only restarts once the value also beats this. Default null. */
  baseline?: number | null;
  /** At the end, go back to the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring at all (warm-up). Default 0. */
  startFromEpoch?: number;
  print?: (message: string) => void;
}

/** Stops training when the monitored quantity has stopped improving (Keras 3's `EarlyStopping`). */
export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  /** The epoch at which training was stopped (0 when it was not). */
  stoppedEpoch = 0;
  bestEpoch = 0;
  bestWeights: Tensor[] | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    const context = 'EarlyStopping constructor';
    super(options.monitor ?? 'val_loss', options.mode ?? 'auto', options.minDelta ?? 0, options.print, context);
    this.patience = checkNumber(options.patience ?? 0, 'patience', context, integer, 'a non-negative integer');
    this.verbose = checkVerbose(options.verbose ?? 0, context);
    const baseline = options.baseline ?? null;
    this.baseline =
      baseline === null ? null : checkNumber(baseline, 'baseline', context, Number.isFinite, 'a finite number or null');
    const restore = options.restoreBestWeights ?? false;
    if (typeof restore !== 'boolean') {
      throw new InvalidArgumentError({
        argument: 'restoreBestWeights',
        expected: 'a boolean',
        received: restore,
        context,
      });
    }
    this.restoreBestWeights = restore;
    this.startFromEpoch = checkNumber(
      options.startFromEpoch ?? 0,
      'startFromEpoch',
      context,
      integer,
      'a non-negative integer',
    );
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    this.ensureDirection();
    const current = this.monitorValue(logs, 'Early stopping');
    if (current === null || epoch < this.startFromEpoch) return;
    const model = this.requireModel();
    if (this.restoreBestWeights && this.bestWeights === null) {
      // Until something improves, the current weights are the best.
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.getWeights();
      // The wait restarts only when the value beats both the previous best and the baseline.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.print(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0)
        this.print(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.requireModel().setWeights(this.bestWeights);
    }
  }
}

export interface ReduceLROnPlateauOptions {
  /** Default `'val_loss'`. */
  monitor?: string;
  /** new learning rate = old · factor; in [0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The learning rate never goes below this. Default 0. */
  minLr?: number;
  print?: (message: string) => void;
}

/**
 * Multiplies the optimizer's learning rate by `factor` when the monitored quantity has stopped improving
 * (Keras 3's `ReduceLROnPlateau`). Adds `learning_rate` to the epoch logs.
 */
export class ReduceLROnPlateau extends MonitorCallback {
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    const context = 'ReduceLROnPlateau constructor';
    super(options.monitor ?? 'val_loss', options.mode ?? 'auto', options.minDelta ?? 1e-4, options.print, context);
    this.factor = checkNumber(options.factor ?? 0.1, 'factor', context, (v) => v >= 0 && v < 1, 'a number in [0, 1)');
    this.patience = checkNumber(options.patience ?? 10, 'patience', context, integer, 'a non-negative integer');
    this.verbose = checkVerbose(options.verbose ?? 0, context);
    this.cooldown = checkNumber(options.cooldown ?? 0, 'cooldown', context, integer, 'a non-negative integer');
    this.minLr = checkNumber(
      options.minLr ?? 0,
      'minLr',
      context,
      (v) => v >= 0 && Number.isFinite(v),
      'a non-negative number',
    );
  }

  override onTrainBegin(): void {
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    this.ensureDirection();
    const optimizer = this.requireModel().optimizer;
    if (optimizer === null) return;
    if (logs !== undefined) logs.learning_rate = optimizer.learningRate;
    const current = this.monitorValue(logs, 'Learning rate reduction');
    if (current === null) return;
    if (this.inCooldown()) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = optimizer.learningRate;
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = newLr;
          if (this.verbose > 0)
            this.print(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
