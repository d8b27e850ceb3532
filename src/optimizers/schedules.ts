/**
 * Learning-rate schedules, Keras 3's `keras.optimizers.schedules`: pass one as an optimizer's `learningRate`
 * and the optimizer uses `schedule.call(iterations)` at every step (`iterations` counts `applyGradients` calls).
 *
 *     const lr = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 });
 *     model.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'mse' });
 *
 * Each `call` computes in float32, rounding after every operation as TensorFlow does with the float32 tensors
 * Keras makes of the schedule's Python floats. The formulas are in each class's comment.
 */
import { InvalidArgumentError } from '../errors.js';
import { checkBoolean, checkOptionKeys } from '../validation.js';

const r = Math.fround;

/** The base class: `call(step)` gives the learning rate at an optimizer step. */
export abstract class LearningRateSchedule {
  /** Keras's class name, e.g. `ExponentialDecay`. */
  abstract readonly className: string;
  abstract readonly name: string;

  /** The learning rate (float32) at optimizer step `step` (0 for the first update). */
  abstract call(step: number): number;

  /** The camelCase config; `new (ctor)(getConfig())` rebuilds an equal schedule. */
  abstract getConfig(): Record<string, unknown>;
}

export function isLearningRateSchedule(value: unknown): value is LearningRateSchedule {
  return value instanceof LearningRateSchedule;
}

function finite(value: unknown, fallback: number | undefined, argument: string, context: string): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new InvalidArgumentError({ argument, expected: 'a finite number', received: value, context });
  return v;
}

function positive(value: unknown, argument: string, context: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError({ argument, expected: 'a number > 0', received: value, context });
  }
  return value;
}

function name(value: unknown, fallback: string, context: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string')
    throw new InvalidArgumentError({ argument: 'name', expected: 'a string', received: value, context });
  return value;
}

function checkStep(step: unknown, className: string): number {
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
    throw new InvalidArgumentError({
      argument: 'step',
      expected: 'a non-negative integer',
      received: step,
      context: `${className}.call`,
    });
  }
  return step;
}

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  /** > 0. */
  decaySteps: number;
  decayRate: number;
  /** Decay at whole multiples of `decaySteps` only. Default false. */
  staircase?: boolean;
  name?: string;
}

/** lr(step) = initialLearningRate · decayRate^(step / decaySteps); with `staircase`, the exponent is floored. */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly name: string;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(options: ExponentialDecayOptions) {
    super();
    const context = 'ExponentialDecay constructor';
    checkOptionKeys(options, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'], context);
    this.initialLearningRate = finite(options.initialLearningRate, undefined, 'initialLearningRate', context);
    this.decaySteps = positive(options.decaySteps, 'decaySteps', context);
    this.decayRate = finite(options.decayRate, undefined, 'decayRate', context);
    this.staircase = checkBoolean(options.staircase, false, 'staircase', context);
    this.name = name(options.name, 'ExponentialDecay', context);
  }

  call(step: number): number {
    let p = r(r(checkStep(step, this.className)) / r(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    return r(r(this.initialLearningRate) * r(Math.pow(r(this.decayRate), p)));
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing steps. */
  boundaries: readonly number[];
  /** One more than `boundaries`. */
  values: readonly number[];
  name?: string;
}

/**
 * values[0] while step ≤ boundaries[0], values[i] while boundaries[i−1] < step ≤ boundaries[i], values[last]
 * after the last boundary. Boundaries compare as integers (Keras casts them to the step's integer type).
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly name: string;
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const context = 'PiecewiseConstantDecay constructor';
    checkOptionKeys(options, ['boundaries', 'values', 'name'], context);
    const { boundaries, values } = options;
    if (
      !Array.isArray(boundaries) ||
      boundaries.length === 0 ||
      !boundaries.every((b, i) => Number.isFinite(b) && (i === 0 || b > boundaries[i - 1]!))
    ) {
      throw new InvalidArgumentError({
        argument: 'boundaries',
        expected: 'a non-empty list of strictly increasing numbers',
        received: boundaries,
        context,
      });
    }
    if (
      !Array.isArray(values) ||
      values.length !== boundaries.length + 1 ||
      !values.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new InvalidArgumentError({
        argument: 'values',
        expected: `${boundaries.length + 1} numbers (one more than boundaries)`,
        received: values,
        context,
      });
    }
    this.boundaries = Object.freeze([...boundaries]);
    this.values = Object.freeze([...values]);
    this.name = name(options.name, 'PiecewiseConstant', context);
  }

  call(step: number): number {
    const s = checkStep(step, this.className);
    const i = this.boundaries.findIndex((b) => s <= Math.trunc(b));
    return r(this.values[i === -1 ? this.values.length - 1 : i]!);
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

export interface PolynomialDecayOptions {
  initialLearningRate: number;
  /** > 0. */
  decaySteps: number;
  /** Default 0.0001. */
  endLearningRate?: number;
  /** Default 1. */
  power?: number;
  /** Start again after `decaySteps`, over the next multiple. Default false. */
  cycle?: boolean;
  name?: string;
}

/**
 * lr(step) = (initial − end) · (1 − s / d)^power + end, with s = min(step, decaySteps) and d = decaySteps; with
 * `cycle`, s = step and d = decaySteps · ceil(step / decaySteps) (1 at step 0).
 */
export class PolynomialDecay extends LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  readonly name: string;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;

  constructor(options: PolynomialDecayOptions) {
    super();
    const context = 'PolynomialDecay constructor';
    checkOptionKeys(
      options,
      ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'],
      context,
    );
    this.initialLearningRate = finite(options.initialLearningRate, undefined, 'initialLearningRate', context);
    this.decaySteps = positive(options.decaySteps, 'decaySteps', context);
    this.endLearningRate = finite(options.endLearningRate, 0.0001, 'endLearningRate', context);
    this.power = finite(options.power, 1, 'power', context);
    this.cycle = checkBoolean(options.cycle, false, 'cycle', context);
    this.name = name(options.name, 'PolynomialDecay', context);
  }

  call(step: number): number {
    let s = r(checkStep(step, this.className));
    let d = r(this.decaySteps);
    if (this.cycle) d = r(d * (s === 0 ? 1 : Math.ceil(r(s / this.decaySteps))));
    else s = Math.min(s, d);
    const p = r(s / d);
    const end = r(this.endLearningRate);
    return r(r(r(r(this.initialLearningRate) - end) * r(Math.pow(r(1 - p), r(this.power)))) + end);
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      endLearningRate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  /** > 0. */
  decaySteps: number;
  decayRate: number;
  /** Default false. */
  staircase?: boolean;
  name?: string;
}

/** lr(step) = initialLearningRate / (1 + decayRate · step / decaySteps); with `staircase`, step / decaySteps is floored. */
export class InverseTimeDecay extends LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  readonly name: string;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(options: InverseTimeDecayOptions) {
    super();
    const context = 'InverseTimeDecay constructor';
    checkOptionKeys(options, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'], context);
    this.initialLearningRate = finite(options.initialLearningRate, undefined, 'initialLearningRate', context);
    this.decaySteps = positive(options.decaySteps, 'decaySteps', context);
    this.decayRate = finite(options.decayRate, undefined, 'decayRate', context);
    this.staircase = checkBoolean(options.staircase, false, 'staircase', context);
    this.name = name(options.name, 'InverseTimeDecay', context);
  }

  call(step: number): number {
    let p = r(r(checkStep(step, this.className)) / r(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    return r(r(this.initialLearningRate) / r(1 + r(r(this.decayRate) * p)));
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup), > 0. */
  decaySteps: number;
  /** The final learning rate as a fraction of the decay's starting one. Default 0. */
  alpha?: number;
  name?: string;
  /** Warm up linearly from `initialLearningRate` to this, then decay from it. Default null: no warmup. */
  warmupTarget?: number | null;
  /** Default 0. */
  warmupSteps?: number;
}

/**
 * Without warmup: lr(step) = initial · ((1 − alpha) · ½(1 + cos(π · s / decaySteps)) + alpha), s = min(step,
 * decaySteps). With `warmupTarget`: for step < warmupSteps, initial + (target − initial) · step / warmupSteps;
 * after it the cosine decay from `warmupTarget` over step − warmupSteps (the step capped at decaySteps +
 * warmupSteps).
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly name: string;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(options: CosineDecayOptions) {
    super();
    const context = 'CosineDecay constructor';
    checkOptionKeys(
      options,
      ['initialLearningRate', 'decaySteps', 'alpha', 'name', 'warmupTarget', 'warmupSteps'],
      context,
    );
    this.initialLearningRate = finite(options.initialLearningRate, undefined, 'initialLearningRate', context);
    this.decaySteps = positive(options.decaySteps, 'decaySteps', context);
    this.alpha = finite(options.alpha, 0, 'alpha', context);
    this.name = name(options.name, 'CosineDecay', context);
    this.warmupTarget =
      options.warmupTarget === undefined || options.warmupTarget === null
        ? null
        : finite(options.warmupTarget, undefined, 'warmupTarget', context);
    const warmupSteps = options.warmupSteps ?? 0;
    if (typeof warmupSteps !== 'number' || !Number.isFinite(warmupSteps) || warmupSteps < 0) {
      throw new InvalidArgumentError({
        argument: 'warmupSteps',
        expected: 'a number ≥ 0',
        received: warmupSteps,
        context,
      });
    }
    this.warmupSteps = warmupSteps;
  }

  private decay(step: number, from: number): number {
    const fraction = r(step / r(this.decaySteps));
    const cosine = r(0.5 * r(1 + r(Math.cos(r(r(Math.PI) * fraction)))));
    const decayed = r(r(r(1 - this.alpha) * cosine) + r(this.alpha));
    return r(from * decayed);
  }

  call(step: number): number {
    const s = r(checkStep(step, this.className));
    const initial = r(this.initialLearningRate);
    const decaySteps = r(this.decaySteps);
    if (this.warmupTarget === null) return this.decay(Math.min(s, decaySteps), initial);
    const target = r(this.warmupTarget);
    const warmupSteps = r(this.warmupSteps);
    const capped = Math.min(s, r(decaySteps + warmupSteps));
    if (capped < warmupSteps) return r(r(r(target - initial) * r(capped / warmupSteps)) + initial);
    return this.decay(r(capped - warmupSteps), target);
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
    };
  }
}
