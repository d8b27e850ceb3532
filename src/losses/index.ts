/**
 * Losses: Keras 3's loss classes and functions, and `getLoss` to resolve identifiers as `model.compile` does.
 * Every loss reduces with `sum_over_batch_size` unless told otherwise.
 */
import { UnknownNameError } from '../errors.js';
import { compileNames } from '../serialization/compile-names.js';
import { toSnakeCase } from '../serialization/serialize-object.js';
import { cast } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import { checkTensor, lossDType, reduceWeightedValues, squeezeOrExpandToSameRank, type Loss } from './loss.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
} from './probabilistic.js';
import {
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
} from './regression.js';

export type { Loss, Reduction, BaseLossOptions } from './loss.js';
export { LossFunction, reduceWeightedValues, squeezeOrExpandToSameRank } from './loss.js';
export {
  meanSquaredError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  huber,
  logCosh,
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  Huber,
  LogCosh,
} from './regression.js';
export type { HuberOptions } from './regression.js';
export {
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  klDivergence,
  poisson,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  KLDivergence,
  Poisson,
} from './probabilistic.js';
export type {
  CrossentropyOptions,
  SparseCrossentropyOptions,
  BinaryCrossentropyOptions,
  CategoricalCrossentropyOptions,
  SparseCategoricalCrossentropyOptions,
} from './probabilistic.js';
export { hinge, squaredHinge, categoricalHinge, Hinge, SquaredHinge, CategoricalHinge } from './hinge.js';
export { attachLogits, logitsOf } from './logits.js';
export {
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  binaryCrossentropyFromLogits,
} from './crossentropy-ops.js';

/** Keras's loss classes, and its loss-function names (and their aliases) for the class computing the same values. */
const LOSSES = compileNames(
  {
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    Huber,
    LogCosh,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    KLDivergence,
    Poisson,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
  },
  {
    mean_squared_error: 'MeanSquaredError',
    mse: 'MeanSquaredError',
    MSE: 'MeanSquaredError',
    mean_absolute_error: 'MeanAbsoluteError',
    mae: 'MeanAbsoluteError',
    MAE: 'MeanAbsoluteError',
    mean_absolute_percentage_error: 'MeanAbsolutePercentageError',
    mape: 'MeanAbsolutePercentageError',
    MAPE: 'MeanAbsolutePercentageError',
    mean_squared_logarithmic_error: 'MeanSquaredLogarithmicError',
    msle: 'MeanSquaredLogarithmicError',
    MSLE: 'MeanSquaredLogarithmicError',
    huber: 'Huber',
    log_cosh: 'LogCosh',
    binary_crossentropy: 'BinaryCrossentropy',
    bce: 'BinaryCrossentropy',
    BCE: 'BinaryCrossentropy',
    categorical_crossentropy: 'CategoricalCrossentropy',
    sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy',
    kl_divergence: 'KLDivergence',
    kld: 'KLDivergence',
    KLD: 'KLDivergence',
    poisson: 'Poisson',
    hinge: 'Hinge',
    squared_hinge: 'SquaredHinge',
    categorical_hinge: 'CategoricalHinge',
  },
);

/** `compile(loss="crossentropy")`: binary, sparse or categorical crossentropy, chosen from the first call's shapes. */
const AUTO_CROSSENTROPY = ['crossentropy', 'ce'];

/** Every name `getLoss` accepts. */
export function listLosses(): string[] {
  return [...LOSSES.aliases.keys(), ...AUTO_CROSSENTROPY, ...LOSSES.classes.keys()];
}

/**
 * Keras 3's choice for `accuracy` and `crossentropy` in compile: binary when yPred's last axis is 1, sparse when
 * yTrue has lower rank (or a last axis of 1 against several classes), categorical otherwise.
 */
export function classifyTargets(yTrue: Tensor, yPred: Tensor): 'binary' | 'sparse' | 'categorical' {
  const tLast = yTrue.shape[yTrue.rank - 1];
  const pLast = yPred.shape[yPred.rank - 1];
  if (pLast === 1) return 'binary';
  if (yTrue.rank < yPred.rank || (tLast === 1 && pLast !== undefined && pLast > 1)) return 'sparse';
  return 'categorical';
}

class AutoCrossentropy implements Loss {
  private resolved: Loss | null = null;
  constructor(readonly name: string) {}
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null, mask?: Tensor | null): Tensor {
    if (this.resolved === null) {
      const kind = classifyTargets(checkTensor(yTrue, 'yTrue', this.name), checkTensor(yPred, 'yPred', this.name));
      const cls =
        kind === 'binary'
          ? 'BinaryCrossentropy'
          : kind === 'sparse'
            ? 'SparseCategoricalCrossentropy'
            : 'CategoricalCrossentropy';
      this.resolved = new (LOSSES.classes.get(cls)!)({ name: this.name });
    }
    return this.resolved.call(yTrue, yPred, sampleWeight, mask);
  }
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: 'sum_over_batch_size' };
  }
}

/** A user function `(yTrue, yPred) → per-sample losses`, reduced like Keras's `LossFunctionWrapper`. */
class FunctionLoss implements Loss {
  readonly name: string;
  constructor(private readonly fn: (yTrue: Tensor, yPred: Tensor) => Tensor) {
    this.name = toSnakeCase(fn.name.replace(/\W+/g, '')) || 'lambda';
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null, mask: Tensor | null = null): Tensor {
    const context = `loss function '${this.name}'`;
    checkTensor(yTrue, 'yTrue', context);
    checkTensor(yPred, 'yPred', context);
    const dtype = lossDType(yPred);
    const [t, p] = squeezeOrExpandToSameRank(cast(yTrue, dtype), cast(yPred, dtype));
    const values = checkTensor(this.fn(t, p), 'the loss function result', context);
    return reduceWeightedValues(cast(values, dtype), sampleWeight, mask, 'sum_over_batch_size', context);
  }
}

/** The names `getLoss` accepts as strings (function names, their aliases and class names); `listLosses()` gives them at run time. */
export const LOSS_NAMES = [
  'mean_squared_error',
  'mse',
  'MSE',
  'mean_absolute_error',
  'mae',
  'MAE',
  'mean_absolute_percentage_error',
  'mape',
  'MAPE',
  'mean_squared_logarithmic_error',
  'msle',
  'MSLE',
  'huber',
  'log_cosh',
  'binary_crossentropy',
  'bce',
  'BCE',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'kl_divergence',
  'kld',
  'KLD',
  'poisson',
  'hinge',
  'squared_hinge',
  'categorical_hinge',
  'crossentropy',
  'ce',
  'MeanSquaredError',
  'MeanAbsoluteError',
  'MeanAbsolutePercentageError',
  'MeanSquaredLogarithmicError',
  'Huber',
  'LogCosh',
  'BinaryCrossentropy',
  'CategoricalCrossentropy',
  'SparseCategoricalCrossentropy',
  'KLDivergence',
  'Poisson',
  'Hinge',
  'SquaredHinge',
  'CategoricalHinge',
] as const;

/** A built-in loss's name: a literal union, so a misspelt name is a type error. */
export type LossName = (typeof LOSS_NAMES)[number];

/**
 * Resolves a loss identifier as Keras 3's compile does: a Keras loss name (`'mse'`, `'mean_squared_error'`,
 * `'binary_crossentropy'`, ...; the loss is then named after the identifier), a class name (`'Huber'`), the
 * shape-resolved `'crossentropy'`/`'ce'`, a `Loss` (returned as is), or a function returning per-sample losses.
 */
export function getLoss(identifier: LossName | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor)): Loss {
  if (typeof identifier === 'function') return new FunctionLoss(identifier);
  if (typeof identifier === 'string') {
    const fn = LOSSES.aliases.get(identifier);
    if (fn !== undefined) return new fn({ name: identifier });
    const cls = LOSSES.classes.get(identifier);
    if (cls !== undefined) return new cls({});
    if (AUTO_CROSSENTROPY.includes(identifier.toLowerCase())) return new AutoCrossentropy(identifier);
  } else if (
    identifier !== null &&
    typeof identifier === 'object' &&
    typeof (identifier as Loss).call === 'function' &&
    typeof (identifier as Loss).name === 'string'
  ) {
    return identifier;
  }
  throw new UnknownNameError({
    argument: 'loss',
    expected: `a loss name, one of ${LOSSES.describeAliases()}, "crossentropy", a Keras loss class name, a Loss, or a function`,
    received: identifier,
    context: 'getLoss',
  });
}
