/**
 * Metrics that average a loss function's per-sample values (Keras's regression and probabilistic metrics):
 * mean squared / absolute error and the crossentropies.
 */
import { InvalidArgumentError } from '../errors.js';
import { checkSameShape, squeezeOrExpandToSameRank } from '../losses/loss.js';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyWithMask,
} from '../losses/probabilistic.js';
import { meanAbsoluteError, meanSquaredError } from '../losses/regression.js';
import { cast } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { MeanMetricWrapper } from './metric.js';

/** Both inputs as float (yPred's float dtype), ranks aligned, as Keras's metric functions start. */
function aligned(yTrue: Tensor, yPred: Tensor, context: string): [Tensor, Tensor] {
  const dtype = yPred.dtype === 'float64' ? 'float64' : 'float32';
  const [t, p] = squeezeOrExpandToSameRank(cast(yTrue, dtype), cast(yPred, dtype));
  checkSameShape(t, p, context);
  return [t, p];
}

export class MeanSquaredError extends MeanMetricWrapper {
  readonly className: string = 'MeanSquaredError';
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'mean_squared_error');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredError(...aligned(yTrue, yPred, 'MeanSquaredError metric'));
  }
}

export class MeanAbsoluteError extends MeanMetricWrapper {
  readonly className: string = 'MeanAbsoluteError';
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'mean_absolute_error');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsoluteError(...aligned(yTrue, yPred, 'MeanAbsoluteError metric'));
  }
}

interface CrossentropyMetricOptions {
  name?: string;
  fromLogits?: boolean;
  labelSmoothing?: number;
}

function checkAxis(axis: unknown, context: string): number {
  if (axis === undefined) return -1;
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    throw new InvalidArgumentError({ argument: 'axis', expected: 'an integer', received: axis, context });
  return axis;
}

function checkCrossentropyOptions(
  options: CrossentropyMetricOptions,
  context: string,
): { fromLogits: boolean; labelSmoothing: number } {
  const fromLogits = options.fromLogits ?? false;
  const labelSmoothing = options.labelSmoothing ?? 0;
  if (typeof fromLogits !== 'boolean')
    throw new InvalidArgumentError({ argument: 'fromLogits', expected: 'a boolean', received: fromLogits, context });
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new InvalidArgumentError({
      argument: 'labelSmoothing',
      expected: 'a number in [0, 1]',
      received: labelSmoothing,
      context,
    });
  }
  return { fromLogits, labelSmoothing };
}

export class BinaryCrossentropy extends MeanMetricWrapper {
  readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: CrossentropyMetricOptions = {}) {
    super(options.name ?? 'binary_crossentropy');
    ({ fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing } = checkCrossentropyOptions(
      options,
      'BinaryCrossentropy metric',
    ));
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    const dtype = yPred.dtype === 'float64' ? 'float64' : 'float32';
    const [t, p] = squeezeOrExpandToSameRank(cast(yTrue, dtype), cast(yPred, dtype));
    return binaryCrossentropy(t, p, this);
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

export class CategoricalCrossentropy extends MeanMetricWrapper {
  readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(options: CrossentropyMetricOptions & { axis?: number } = {}) {
    super(options.name ?? 'categorical_crossentropy');
    ({ fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing } = checkCrossentropyOptions(
      options,
      'CategoricalCrossentropy metric',
    ));
    this.axis = checkAxis(options.axis, 'CategoricalCrossentropy metric');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    const dtype = yPred.dtype === 'float64' ? 'float64' : 'float32';
    return categoricalCrossentropy(cast(yTrue, dtype), cast(yPred, dtype), this);
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

export class SparseCategoricalCrossentropy extends MeanMetricWrapper {
  readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  /**
   * A class id whose samples get the value 0. As in Keras, they still count in the mean unless a sample weight
   * is given (Keras only folds the values' mask into sample weights).
   */
  readonly ignoreClass: number | null;
  constructor(options: { name?: string; fromLogits?: boolean; ignoreClass?: number | null } = {}) {
    const context = 'SparseCategoricalCrossentropy metric';
    super(options.name ?? 'sparse_categorical_crossentropy');
    this.fromLogits = checkCrossentropyOptions(options, context).fromLogits;
    const ignoreClass = options.ignoreClass ?? null;
    if (ignoreClass !== null && !Number.isInteger(ignoreClass)) {
      throw new InvalidArgumentError({
        argument: 'ignoreClass',
        expected: 'an integer or null',
        received: ignoreClass,
        context,
      });
    }
    this.ignoreClass = ignoreClass;
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseCategoricalCrossentropy(yTrue, cast(yPred, yPred.dtype === 'float64' ? 'float64' : 'float32'), this);
  }
  protected override valuesAndMask(yTrue: Tensor, yPred: Tensor): { values: Tensor; mask: Tensor | null } {
    return sparseCategoricalCrossentropyWithMask(
      yTrue,
      cast(yPred, yPred.dtype === 'float64' ? 'float64' : 'float32'),
      this,
    );
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, fromLogits: this.fromLogits, ignoreClass: this.ignoreClass };
  }
}
