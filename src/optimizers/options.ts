import type { LearningRateSchedule } from './schedules.js';

/** The options every optimizer takes and the config it reports (their checks are in src/validation.ts). */
/** Options every optimizer takes (Keras's base optimizer keyword arguments, camelCase). */
export interface OptimizerOptions {
  /** Defaults to the class name in snake_case, made unique (`adam`, `adam_1`), as Keras's `auto_name`. */
  name?: string;
  /**
   * A number, or a `LearningRateSchedule` (e.g. `ExponentialDecay`) that gives the learning rate at each step;
   * an optimizer made with a schedule has no settable learning rate, as in Keras.
   */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay applied before each update: w ← w − w·weightDecay·learningRate. */
  weightDecay?: number | null;
  /** Clip each gradient to this L2 norm. At most one of clipnorm, clipvalue, globalClipnorm. */
  clipnorm?: number | null;
  /** Clip each gradient element to [−clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Scale all gradients together so that their joint L2 norm is at most this. */
  globalClipnorm?: number | null;
  /** Keep an exponential moving average of the weights. */
  useEma?: boolean;
  emaMomentum?: number;
  /** With useEma: overwrite the weights with their averages every this many steps (null: only on finalize). */
  emaOverwriteFrequency?: number | null;
  /** Gradients are divided by this (the loss is multiplied by it in `scaleLoss`). */
  lossScaleFactor?: number | null;
  /** Update only every this many calls, with the mean of the accumulated gradients (≥ 2, or null). */
  gradientAccumulationSteps?: number | null;
}

/** The camelCase config every optimizer reports (subclasses add their own fields). */
export interface OptimizerConfig {
  name: string;
  /** The learning rate (float32), or the schedule the optimizer was made with. */
  learningRate: number | LearningRateSchedule;
  weightDecay: number | null;
  clipnorm: number | null;
  globalClipnorm: number | null;
  clipvalue: number | null;
  useEma: boolean;
  emaMomentum: number;
  emaOverwriteFrequency: number | null;
  lossScaleFactor: number | null;
  gradientAccumulationSteps: number | null;
}

/** The keys of `OptimizerOptions`, for the unknown-option check. */
export const BASE_OPTION_KEYS: readonly string[] = [
  'name',
  'learningRate',
  'weightDecay',
  'clipnorm',
  'clipvalue',
  'globalClipnorm',
  'useEma',
  'emaMomentum',
  'emaOverwriteFrequency',
  'lossScaleFactor',
  'gradientAccumulationSteps',
];
