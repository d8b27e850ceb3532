/**
 * Regression losses (keras/src/losses/losses.py), per sample: the mean over the last axis of an elementwise
 * error. Each is a function `(yTrue, yPred) → per-sample values` on aligned inputs, and a class that reduces.
 */
import { add, div, le, maximum, mul, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { where } from '../ops/shape-ops.js';
import { abs, log, softplus, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumberInRange, checkOptionKeys } from '../validation.js';
import { EPSILON } from './crossentropy-ops.js';
import { checkSameShape, constant, lossDType, LossFunction, type BaseLossOptions } from './loss.js';

const BASE_KEYS = ['name', 'reduction'];

/** mean((yTrue − yPred)², axis −1). */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'meanSquaredError');
  return mean(square(sub(yTrue, yPred)), -1);
}

/** mean(|yTrue − yPred|, axis −1). */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'meanAbsoluteError');
  return mean(abs(sub(yTrue, yPred)), -1);
}

/** 100 · mean(|(yTrue − yPred) / max(|yTrue|, ε)|, axis −1). */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'meanAbsolutePercentageError');
  const eps = constant(EPSILON, lossDType(yPred));
  const diff = abs(div(sub(yTrue, yPred), maximum(abs(yTrue), eps)));
  return mul(100, mean(diff, -1));
}

/** mean((log(max(yPred, ε) + 1) − log(max(yTrue, ε) + 1))², axis −1). */
export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'meanSquaredLogarithmicError');
  const eps = constant(EPSILON, lossDType(yPred));
  const first = log(add(maximum(yPred, eps), 1));
  const second = log(add(maximum(yTrue, eps), 1));
  return mean(square(sub(first, second)), -1);
}

/** Huber: mean over axis −1 of ½e² where |e| ≤ δ, else δ|e| − ½δ², with e = yPred − yTrue. */
export function huber(yTrue: Tensor, yPred: Tensor, delta = 1): Tensor {
  checkSameShape(yTrue, yPred, 'huber');
  const dtype = lossDType(yPred);
  const d = constant(delta, dtype);
  const error = sub(yPred, yTrue);
  const absError = abs(error);
  const quadratic = mul(0.5, square(error));
  const linear = sub(mul(d, absError), constant(0.5 * constant(d * d, dtype), dtype));
  return mean(where(le(absError, d), quadratic, linear), -1);
}

/** log(cosh(e)) = e + softplus(−2e) − log 2, averaged over axis −1, e = yPred − yTrue. */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'logCosh');
  const log2 = constant(Math.log(2), lossDType(yPred));
  const x = sub(yPred, yTrue);
  return mean(sub(add(x, softplus(mul(x, -2))), log2), -1);
}

export class MeanSquaredError extends LossFunction {
  readonly className: string = 'MeanSquaredError';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'MeanSquaredError constructor');
    super(options, 'mean_squared_error', 'MeanSquaredError');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
}

export class MeanAbsoluteError extends LossFunction {
  readonly className: string = 'MeanAbsoluteError';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'MeanAbsoluteError constructor');
    super(options, 'mean_absolute_error', 'MeanAbsoluteError');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsoluteError(yTrue, yPred);
  }
}

export class MeanAbsolutePercentageError extends LossFunction {
  readonly className: string = 'MeanAbsolutePercentageError';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'MeanAbsolutePercentageError constructor');
    super(options, 'mean_absolute_percentage_error', 'MeanAbsolutePercentageError');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsolutePercentageError(yTrue, yPred);
  }
}

export class MeanSquaredLogarithmicError extends LossFunction {
  readonly className: string = 'MeanSquaredLogarithmicError';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'MeanSquaredLogarithmicError constructor');
    super(options, 'mean_squared_logarithmic_error', 'MeanSquaredLogarithmicError');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredLogarithmicError(yTrue, yPred);
  }
}

export interface HuberOptions extends BaseLossOptions {
  /** Where the loss turns from quadratic to linear; default 1. */
  delta?: number;
}

export class Huber extends LossFunction {
  readonly className: string = 'Huber';
  readonly delta: number;
  constructor(options: HuberOptions = {}) {
    checkOptionKeys(options, [...BASE_KEYS, 'delta'], 'Huber constructor');
    super(options, 'huber_loss', 'Huber');
    this.delta = checkNumberInRange(options.delta, 1, 'delta', 0, Infinity, 'Huber constructor');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return huber(yTrue, yPred, this.delta);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}

export class LogCosh extends LossFunction {
  readonly className: string = 'LogCosh';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'LogCosh constructor');
    super(options, 'log_cosh', 'LogCosh');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return logCosh(yTrue, yPred);
  }
}
