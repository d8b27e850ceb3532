/**
 * Accuracy metrics (keras/src/metrics/accuracy_metrics.py). Each function gives 1 where the prediction is right
 * and 0 elsewhere (float32), per element or per sample; the classes average them with `Mean`.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { MeanMetricWrapper } from './metric.js';

function floats(values: ArrayLike<number>, shape: readonly number[]): Tensor {
  return new Tensor(Float32Array.from(values), shape, 'float32');
}

/** Index of the largest value along the last axis (the first one on ties, as TensorFlow's argmax). */
export function argmaxLast(t: Tensor, context: string): { ids: Int32Array; shape: number[] } {
  if (t.rank === 0) {
    throw new ShapeError({
      argument: 'yPred',
      expected: 'rank ≥ 1 (classes last)',
      received: formatShape(t.shape),
      context,
    });
  }
  const n = t.shape[t.rank - 1]!;
  const rows = n === 0 ? 0 : t.size / n;
  const ids = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < n; j++) if (t.values[r * n + j]! > t.values[r * n + best]!) best = j;
    ids[r] = best;
  }
  return { ids, shape: t.shape.slice(0, -1) };
}

/** 1 where yTrue = yPred (after rank alignment), elementwise. */
export function accuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  sameShape(t, p, 'accuracy');
  return floats(
    Array.from(t.values, (v, i) => (Math.fround(v) === Math.fround(p.values[i]!) ? 1 : 0)),
    p.shape,
  );
}

/** 1 where (yPred > threshold) equals yTrue, elementwise. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  sameShape(t, p, 'binaryAccuracy');
  const th = Math.fround(threshold);
  return floats(
    Array.from(t.values, (v, i) => ((Math.fround(p.values[i]!) > th ? 1 : 0) === v ? 1 : 0)),
    p.shape,
  );
}

/** 1 where argmax(yTrue) = argmax(yPred) along the last axis, per sample. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const context = 'categoricalAccuracy';
  sameShape(yTrue, yPred, context);
  const truth = argmaxLast(yTrue, context);
  const pred = argmaxLast(yPred, context);
  return floats(
    Array.from(truth.ids, (id, i) => (id === pred.ids[i] ? 1 : 0)),
    truth.shape,
  );
}

/** 1 where the class id yTrue = argmax(yPred), per sample. yTrue is yPred.shape[:-1], or that with a trailing 1. */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const context = 'sparseCategoricalAccuracy';
  let labels = yTrue;
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1)
    labels = new Tensor(labels.values, labels.shape.slice(0, -1), labels.dtype);
  const pred = argmaxLast(yPred, context);
  if (!shapesEqual(labels.shape, pred.shape)) {
    throw new ShapeError({
      argument: 'yTrue',
      expected: `class ids of shape ${formatShape(pred.shape)} (yPred ${formatShape(yPred.shape)} without its class axis)`,
      received: formatShape(yTrue.shape),
      context,
    });
  }
  return floats(
    Array.from(pred.ids, (id, i) => (Math.fround(labels.values[i]!) === id ? 1 : 0)),
    pred.shape,
  );
}

function sameShape(t: Tensor, p: Tensor, context: string): void {
  if (!shapesEqual(t.shape, p.shape)) {
    throw new ShapeError({
      argument: 'yTrue',
      expected: `the shape of yPred ${formatShape(p.shape)}`,
      received: formatShape(t.shape),
      context,
    });
  }
}

export class Accuracy extends MeanMetricWrapper {
  readonly className: string = 'Accuracy';
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'accuracy');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return accuracy(yTrue, yPred);
  }
}

export class BinaryAccuracy extends MeanMetricWrapper {
  readonly className: string = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(options: { name?: string; threshold?: number } = {}) {
    super(options.name ?? 'binary_accuracy');
    const threshold = options.threshold ?? 0.5;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
      throw new InvalidArgumentError({
        argument: 'threshold',
        expected: 'a finite number',
        received: threshold,
        context: 'BinaryAccuracy constructor',
      });
    }
    this.threshold = threshold;
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryAccuracy(yTrue, yPred, this.threshold);
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, threshold: this.threshold };
  }
}

export class CategoricalAccuracy extends MeanMetricWrapper {
  readonly className: string = 'CategoricalAccuracy';
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'categorical_accuracy');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalAccuracy(yTrue, yPred);
  }
}

export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  readonly className: string = 'SparseCategoricalAccuracy';
  constructor(options: { name?: string } = {}) {
    super(options.name ?? 'sparse_categorical_accuracy');
  }
  values(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseCategoricalAccuracy(yTrue, yPred);
  }
}
