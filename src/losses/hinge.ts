/** Hinge losses (keras/src/losses/losses.py). Binary labels in {0, 1} are first mapped to {−1, 1}, as Keras does. */
import { add, maximum, mul, sub } from '../ops/arithmetic.js';
import { max, mean, sum } from '../ops/reduce.js';
import { square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptionKeys } from '../validation.js';
import { checkSameShape, LossFunction, type BaseLossOptions } from './loss.js';

const BASE_KEYS = ['name', 'reduction'];

/** 2t − 1 when every label is 0 or 1; the labels unchanged otherwise. */
function toSignedLabels(yTrue: Tensor): Tensor {
  for (let i = 0; i < yTrue.size; i++) {
    const v = yTrue.values[i];
    if (v !== 0 && v !== 1) return yTrue;
  }
  return sub(mul(yTrue, 2), 1);
}

/** mean(max(1 − t·p, 0), axis −1). */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'hinge');
  return mean(maximum(sub(1, mul(toSignedLabels(yTrue), yPred)), 0), -1);
}

/** mean(max(1 − t·p, 0)², axis −1). */
export function squaredHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'squaredHinge');
  return mean(square(maximum(sub(1, mul(toSignedLabels(yTrue), yPred)), 0)), -1);
}

/** max(max((1 − t)·p) − Σ t·p + 1, 0) over axis −1. */
export function categoricalHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape(yTrue, yPred, 'categoricalHinge');
  const pos = sum(mul(yTrue, yPred), -1);
  const neg = max(mul(sub(1, yTrue), yPred), -1);
  return maximum(add(sub(neg, pos), 1), 0);
}

export class Hinge extends LossFunction {
  readonly className: string = 'Hinge';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'Hinge constructor');
    super(options, 'hinge', 'Hinge');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return hinge(yTrue, yPred);
  }
}

export class SquaredHinge extends LossFunction {
  readonly className: string = 'SquaredHinge';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'SquaredHinge constructor');
    super(options, 'squared_hinge', 'SquaredHinge');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return squaredHinge(yTrue, yPred);
  }
}

export class CategoricalHinge extends LossFunction {
  readonly className: string = 'CategoricalHinge';
  constructor(options: BaseLossOptions = {}) {
    checkOptionKeys(options, BASE_KEYS, 'CategoricalHinge constructor');
    super(options, 'categorical_hinge', 'CategoricalHinge');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalHinge(yTrue, yPred);
  }
}
