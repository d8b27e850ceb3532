/**
 * Metrics: Keras 3's running-mean metrics, and `getMetric` to resolve identifiers as `model.compile` does
 * (including `'accuracy'`, whose variant is chosen from the shapes of the first batch).
 */
import { UnknownNameError } from '../errors.js';
import { compileNames } from '../serialization/compile-names.js';
import { classifyTargets } from '../losses/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  MeanAbsoluteError,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
} from './loss-metrics.js';
import { checkTensor, type Metric } from './metric.js';

export type { Metric } from './metric.js';
export { Mean, MeanMetricWrapper } from './metric.js';
export {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
} from './accuracy.js';
export {
  MeanSquaredError,
  MeanAbsoluteError,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
} from './loss-metrics.js';

/** Keras's metric classes, and its snake_case names and aliases for them. */
const METRICS = compileNames(
  {
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    MeanSquaredError,
    MeanAbsoluteError,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
  },
  {
    binary_accuracy: 'BinaryAccuracy',
    categorical_accuracy: 'CategoricalAccuracy',
    sparse_categorical_accuracy: 'SparseCategoricalAccuracy',
    mean_squared_error: 'MeanSquaredError',
    mse: 'MeanSquaredError',
    MSE: 'MeanSquaredError',
    mean_absolute_error: 'MeanAbsoluteError',
    mae: 'MeanAbsoluteError',
    MAE: 'MeanAbsoluteError',
    binary_crossentropy: 'BinaryCrossentropy',
    bce: 'BinaryCrossentropy',
    BCE: 'BinaryCrossentropy',
    categorical_crossentropy: 'CategoricalCrossentropy',
    sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy',
  },
);

const AUTO_ACCURACY = ['accuracy', 'acc'];

/** Every name `getMetric` accepts. */
export function listMetrics(): string[] {
  return [...AUTO_ACCURACY, ...METRICS.aliases.keys(), ...METRICS.classes.keys()];
}

/**
 * `compile(metrics=["accuracy"])`: binary, sparse categorical or categorical accuracy, chosen like Keras 3 from
 * the shapes of the first batch (yPred's last axis 1 → binary; yTrue of lower rank, or a last axis of 1 against
 * several classes → sparse; otherwise categorical). The choice survives `reset()`.
 */
class AutoAccuracy implements Metric {
  private resolved: Metric | null = null;
  constructor(readonly name: string) {}
  /** The chosen metric, once a batch has been seen. */
  get variant(): Metric | null {
    return this.resolved;
  }
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null, mask?: Tensor | null): void {
    if (this.resolved === null) {
      const context = `metric '${this.name}'.update`;
      const kind = classifyTargets(checkTensor(yTrue, 'yTrue', context), checkTensor(yPred, 'yPred', context));
      const cls =
        kind === 'binary' ? 'BinaryAccuracy' : kind === 'sparse' ? 'SparseCategoricalAccuracy' : 'CategoricalAccuracy';
      this.resolved = new (METRICS.classes.get(cls)!)({ name: this.name });
    }
    this.resolved.update(yTrue, yPred, sampleWeight, mask);
  }
  result(): number {
    return this.resolved?.result() ?? 0;
  }
  reset(): void {
    this.resolved?.reset();
  }
}

/** The names `getMetric` accepts as strings (function names, their aliases and class names); `listMetrics()` gives them at run time. */
export const METRIC_NAMES = [
  'accuracy',
  'acc',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'mean_squared_error',
  'mse',
  'MSE',
  'mean_absolute_error',
  'mae',
  'MAE',
  'binary_crossentropy',
  'bce',
  'BCE',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'Accuracy',
  'BinaryAccuracy',
  'CategoricalAccuracy',
  'SparseCategoricalAccuracy',
  'MeanSquaredError',
  'MeanAbsoluteError',
  'BinaryCrossentropy',
  'CategoricalCrossentropy',
  'SparseCategoricalCrossentropy',
] as const;

/** A built-in metric's name: a literal union, so a misspelt name is a type error. */
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * Resolves a metric identifier as Keras 3's compile does. Strings: `'accuracy'`/`'acc'` (variant chosen from the
 * first batch's shapes, as Keras 3 does; `lossName` is accepted for callers that know the loss, but Keras 3
 * does not consult it and neither do we), Keras names and aliases (`'mse'`, `'mae'`, `'binary_accuracy'`, ...)
 * and class names. A string identifier also becomes the metric's name, as in Keras's compile. A `Metric` is
 * returned as is.
 */
export function getMetric(identifier: MetricName | Metric, lossName?: string): Metric {
  void lossName;
  if (typeof identifier === 'string') {
    if (AUTO_ACCURACY.includes(identifier.toLowerCase())) return new AutoAccuracy(identifier);
    const cls = METRICS.aliases.get(identifier) ?? METRICS.classes.get(identifier);
    if (cls !== undefined) return new cls({ name: identifier });
  } else if (
    identifier !== null &&
    typeof identifier === 'object' &&
    typeof identifier.update === 'function' &&
    typeof identifier.result === 'function' &&
    typeof identifier.reset === 'function'
  ) {
    return identifier;
  }
  throw new UnknownNameError({
    argument: 'metric',
    expected: `a metric name, one of "accuracy", ${METRICS.describeAliases()}, a Keras metric class name, or a Metric`,
    received: identifier,
    context: 'getMetric',
  });
}
