/** Metrics: Keras's documented examples, running means over batches of different sizes, accuracy resolution. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, UnknownNameError } from '../../src/errors.js';
import {
  Accuracy,
  BinaryAccuracy,
  BinaryCrossentropy,
  CategoricalAccuracy,
  CategoricalCrossentropy,
  getMetric,
  Mean,
  MeanAbsoluteError,
  MeanSquaredError,
  SparseCategoricalAccuracy,
  SparseCategoricalCrossentropy,
  type Metric,
} from '../../src/metrics/index.js';
import { tensor } from '../../src/tensor/tensor.js';

describe('Keras documented examples', () => {
  it('Accuracy: 0.75, weighted 0.5', () => {
    const m = new Accuracy();
    m.update(tensor([[1], [2], [3], [4]]), tensor([[0], [2], [3], [4]]));
    expect(m.result()).toBe(0.75);
    m.reset();
    m.update(tensor([[1], [2], [3], [4]]), tensor([[0], [2], [3], [4]]), tensor([1, 1, 0, 0]));
    expect(m.result()).toBe(0.5);
  });

  it('BinaryAccuracy: 0.75, weighted 0.5', () => {
    const m = new BinaryAccuracy();
    m.update(tensor([[1], [1], [0], [0]]), tensor([[0.98], [1], [0], [0.6]]));
    expect(m.result()).toBe(0.75);
    m.reset();
    m.update(tensor([[1], [1], [0], [0]]), tensor([[0.98], [1], [0], [0.6]]), tensor([1, 0, 0, 1]));
    expect(m.result()).toBe(0.5);
  });

  it('CategoricalAccuracy: 0.5, weighted 0.3', () => {
    const m = new CategoricalAccuracy();
    m.update(
      tensor([
        [0, 0, 1],
        [0, 1, 0],
      ]),
      tensor([
        [0.1, 0.9, 0.8],
        [0.05, 0.95, 0],
      ]),
    );
    expect(m.result()).toBe(0.5);
    m.reset();
    m.update(
      tensor([
        [0, 0, 1],
        [0, 1, 0],
      ]),
      tensor([
        [0.1, 0.9, 0.8],
        [0.05, 0.95, 0],
      ]),
      tensor([0.7, 0.3]),
    );
    expect(m.result()).toBeCloseTo(0.3, 6);
  });

  it('SparseCategoricalAccuracy: 0.5, weighted 0.3', () => {
    const m = new SparseCategoricalAccuracy();
    m.update(
      tensor([[2], [1]]),
      tensor([
        [0.1, 0.6, 0.3],
        [0.05, 0.95, 0],
      ]),
    );
    expect(m.result()).toBe(0.5);
    m.reset();
    m.update(
      tensor([[2], [1]]),
      tensor([
        [0.1, 0.6, 0.3],
        [0.05, 0.95, 0],
      ]),
      tensor([0.7, 0.3]),
    );
    expect(m.result()).toBeCloseTo(0.3, 6);
  });

  it('MeanSquaredError 0.25; MeanAbsoluteError 0.25, weighted 0.5', () => {
    const mse = new MeanSquaredError();
    mse.update(
      tensor([
        [0, 1],
        [0, 0],
      ]),
      tensor([
        [1, 1],
        [0, 0],
      ]),
    );
    expect(mse.result()).toBe(0.25);
    const mae = new MeanAbsoluteError();
    mae.update(
      tensor([
        [0, 1],
        [0, 0],
      ]),
      tensor([
        [1, 1],
        [0, 0],
      ]),
      tensor([1, 0]),
    );
    expect(mae.result()).toBe(0.5);
  });
});

describe('running means', () => {
  it('weights each batch by its number of samples', () => {
    const m = new MeanAbsoluteError();
    m.update(tensor([[0], [0]]), tensor([[1], [3]])); // per-sample 1, 3
    m.update(tensor([[0]]), tensor([[8]])); // 8
    expect(m.result()).toBe(4);
    m.reset();
    expect(m.result()).toBe(0);
  });

  it('averages sequence outputs per sample first ([B,T] values count B samples)', () => {
    const m = new SparseCategoricalAccuracy();
    const probs = tensor([
      [
        [0.9, 0.1],
        [0.2, 0.8],
        [0.6, 0.4],
      ],
      [
        [0.3, 0.7],
        [0.3, 0.7],
        [0.3, 0.7],
      ],
    ]);
    m.update(
      tensor(
        [
          [0, 1, 1],
          [1, 1, 1],
        ],
        undefined,
        'int32',
      ),
      probs,
    ); // sample means 2/3 and 1
    m.update(
      tensor([[0, 0, 0]], undefined, 'int32'),
      tensor([
        [
          [0.1, 0.9],
          [0.1, 0.9],
          [0.1, 0.9],
        ],
      ]),
    ); // 0
    expect(m.result()).toBeCloseTo(Math.fround((2 / 3 + 1 + 0) / 3), 7);
  });

  it('a mask drops samples', () => {
    const m = new BinaryAccuracy();
    m.update(tensor([[1], [0], [1]]), tensor([[0.9], [0.9], [0.1]]), null, tensor([1, 1, 0], undefined, 'bool'));
    expect(m.result()).toBe(0.5);
  });

  it('keeps float32 accumulators like Keras', () => {
    const m = new MeanSquaredError();
    for (let i = 0; i < 10; i++) m.update(tensor([[0]]), tensor([[Math.sqrt(0.1)]]));
    const sum = Array.from({ length: 10 }).reduce<number>(
      (s) => Math.fround(s + Math.fround(Math.fround(Math.sqrt(0.1)) ** 2)),
      0,
    );
    expect(m.result()).toBe(Math.fround(sum / 10));
  });

  it('Mean averages raw values, with weights', () => {
    const m = new Mean();
    m.updateValues(tensor([1, 3, 5, 7]));
    expect(m.result()).toBe(4);
    m.reset();
    m.updateValues(tensor([1, 3, 5, 7]), tensor([1, 1, 0, 0]));
    expect(m.result()).toBe(2);
  });

  it('crossentropy metrics average the per-sample losses', () => {
    const bce = new BinaryCrossentropy();
    bce.update(
      tensor([
        [0, 1],
        [0, 0],
      ]),
      tensor([
        [0.6, 0.4],
        [0.4, 0.6],
      ]),
    );
    expect(bce.result()).toBeCloseTo((0.916 + 0.714) / 2, 2);
    const cce = new CategoricalCrossentropy();
    cce.update(
      tensor([
        [0, 1, 0],
        [0, 0, 1],
      ]),
      tensor([
        [0.05, 0.95, 0],
        [0.1, 0.8, 0.1],
      ]),
    );
    expect(cce.result()).toBeCloseTo(1.177, 3);
    const scce = new SparseCategoricalCrossentropy();
    scce.update(
      tensor([1, 2]),
      tensor([
        [0.05, 0.95, 0],
        [0.1, 0.8, 0.1],
      ]),
    );
    expect(scce.result()).toBeCloseTo(1.177, 3);
  });
});

describe('sparse crossentropy ignoreClass', () => {
  it('zeroes ignored samples; like Keras they count in the mean only without sample weights', () => {
    const logits = tensor([
      [2, 0],
      [0, 2],
      [1, 1],
    ]);
    const ids = tensor([0, -1, 1], undefined, 'int32');
    const kept = [Math.log1p(Math.exp(-2)), Math.log(2)];
    const m = new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 });
    m.update(ids, logits);
    expect(m.result()).toBeCloseTo((kept[0]! + kept[1]!) / 3, 6);
    m.reset();
    m.update(ids, logits, tensor([1, 1, 1]));
    expect(m.result()).toBeCloseTo((kept[0]! + kept[1]!) / 2, 6);
  });
});

describe('getMetric', () => {
  const resolvedClass = (m: Metric): string =>
    (m as unknown as { variant: { className: string } | null }).variant?.className ?? 'unresolved';

  it('resolves accuracy from shapes like Keras 3 compile', () => {
    const binary = getMetric('accuracy', 'binary_crossentropy');
    binary.update(tensor([[1], [0]]), tensor([[0.8], [0.7]]));
    expect(resolvedClass(binary)).toBe('BinaryAccuracy');
    expect(binary.result()).toBe(0.5);
    expect(binary.name).toBe('accuracy');

    const sparse = getMetric('acc');
    sparse.update(
      tensor([1, 0]),
      tensor([
        [0.2, 0.8],
        [0.3, 0.7],
      ]),
    );
    expect(resolvedClass(sparse)).toBe('SparseCategoricalAccuracy');
    expect(sparse.name).toBe('acc');

    const sparseColumn = getMetric('accuracy');
    sparseColumn.update(
      tensor([[1], [0]]),
      tensor([
        [0.2, 0.8],
        [0.3, 0.7],
      ]),
    );
    expect(resolvedClass(sparseColumn)).toBe('SparseCategoricalAccuracy');

    const categorical = getMetric('accuracy');
    categorical.update(
      tensor([
        [0, 1],
        [1, 0],
      ]),
      tensor([
        [0.2, 0.8],
        [0.3, 0.7],
      ]),
    );
    expect(resolvedClass(categorical)).toBe('CategoricalAccuracy');
    expect(categorical.result()).toBe(0.5);
    categorical.reset();
    expect(categorical.result()).toBe(0);
    expect(resolvedClass(categorical)).toBe('CategoricalAccuracy');
  });

  it('resolves names, aliases and classes, naming the metric after the identifier', () => {
    expect(getMetric('mse')).toBeInstanceOf(MeanSquaredError);
    expect(getMetric('mse').name).toBe('mse');
    expect(getMetric('mae')).toBeInstanceOf(MeanAbsoluteError);
    expect(getMetric('binary_accuracy')).toBeInstanceOf(BinaryAccuracy);
    expect(getMetric('categorical_accuracy')).toBeInstanceOf(CategoricalAccuracy);
    expect(getMetric('sparse_categorical_accuracy')).toBeInstanceOf(SparseCategoricalAccuracy);
    expect(getMetric('BinaryAccuracy').name).toBe('BinaryAccuracy');
    const m = new MeanSquaredError();
    expect(getMetric(m)).toBe(m);
  });

  it('unknown names name the argument, list valid names and show the value', () => {
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getMetric('acuracy')).toThrow(UnknownNameError);
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getMetric('acuracy')).toThrow(/metric.*"accuracy".*"acuracy"/);
  });
});

describe('bad input', () => {
  it('mismatched shapes are ShapeErrors', () => {
    expect(() => new MeanSquaredError().update(tensor([[1, 2]]), tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => new CategoricalAccuracy().update(tensor([[1, 0]]), tensor([[1, 0, 0]]))).toThrow(ShapeError);
    expect(() => new SparseCategoricalAccuracy().update(tensor([1, 0, 1]), tensor([[1, 0]]))).toThrow(ShapeError);
    expect(() => new BinaryAccuracy().update(tensor([[1], [0]]), tensor([[1, 0]]))).toThrow(ShapeError);
  });

  it('bad options and arguments are InvalidArgumentErrors', () => {
    expect(() => new BinaryAccuracy({ threshold: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => new BinaryCrossentropy({ labelSmoothing: 3 })).toThrow(/labelSmoothing/);
    expect(() => new Accuracy().update([1] as never, tensor([1]))).toThrow(/yTrue/);
  });

  it('does not mutate its inputs', () => {
    const yt = tensor([[0, 1]]);
    const yp = tensor([[0.3, 0.7]]);
    const m = new CategoricalAccuracy();
    m.update(yt, yp);
    expect(Array.from(yt.values)).toEqual([0, 1]);
    expect(Array.from(yp.values)).toEqual([Math.fround(0.3), Math.fround(0.7)]);
  });
});
