/** Keras's serialized losses and metrics (compile_config form): written in Keras 3's key order, read back. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnknownNameError } from '../../src/errors.js';
import { lossFromKeras, lossToKeras, metricFromKeras, metricToKeras } from '../../src/keras/loss-config.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  Huber,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
} from '../../src/losses/index.js';
import * as metrics from '../../src/metrics/index.js';
import { tensor } from '../../src/tensor/tensor.js';

describe('loss JSON', () => {
  it('writes Keras 3 forms', () => {
    expect(lossToKeras(new MeanSquaredError())).toEqual({
      module: 'keras.losses',
      class_name: 'MeanSquaredError',
      config: { name: 'mean_squared_error', reduction: 'sum_over_batch_size' },
      registered_name: null,
    });
    const bce = lossToKeras(new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }));
    expect(bce.config).toEqual({
      name: 'binary_crossentropy',
      reduction: 'sum_over_batch_size',
      from_logits: true,
      label_smoothing: 0.1,
      axis: -1,
    });
    expect(Object.keys(bce.config)).toEqual(['name', 'reduction', 'from_logits', 'label_smoothing', 'axis']);
    expect(lossToKeras(new SparseCategoricalCrossentropy()).config).toEqual({
      name: 'sparse_categorical_crossentropy',
      reduction: 'sum_over_batch_size',
      from_logits: false,
      ignore_class: null,
    });
    expect(lossToKeras(new Huber()).config).toEqual({ name: 'huber_loss', reduction: 'sum_over_batch_size' });
    expect(lossToKeras(new Huber({ delta: 2 })).config).toEqual({
      name: 'huber_loss',
      reduction: 'sum_over_batch_size',
      delta: 2,
    });
  });

  it('round-trips every option', () => {
    for (const loss of [
      new MeanSquaredError({ name: 'l', reduction: 'sum' }),
      new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2, axis: 1 }),
      new SparseCategoricalCrossentropy({ ignoreClass: 4, fromLogits: true }),
      new Huber({ delta: 0.5 }),
    ]) {
      const json = lossToKeras(loss);
      expect(lossToKeras(lossFromKeras(json) as never)).toEqual(json);
      expect((lossFromKeras(json) as MeanSquaredError).getConfig()).toEqual(loss.getConfig());
    }
  });

  it('reads strings and Keras reduction=None', () => {
    expect(lossFromKeras('mse').name).toBe('mse');
    const none = lossFromKeras({ class_name: 'MeanSquaredError', config: { name: 'm', reduction: null } });
    expect(none.call(tensor([[1], [2]]), tensor([[0], [0]])).shape).toEqual([2]);
  });

  it('rejects unknown classes and keys', () => {
    expect(() => lossFromKeras({ class_name: 'Tversky', config: {} })).toThrow(UnknownNameError);
    expect(() => lossFromKeras({ class_name: 'MeanSquaredError', config: { from_logits: true } })).toThrow(
      /from_logits/,
    );
    expect(() => lossToKeras({ name: 'custom', call: (a) => a })).toThrow(InvalidArgumentError);
  });
});

describe('metric JSON', () => {
  it('writes Keras 3 forms and reads them back', () => {
    expect(metricToKeras(new metrics.BinaryAccuracy())).toEqual({
      module: 'keras.metrics',
      class_name: 'BinaryAccuracy',
      config: { name: 'binary_accuracy', dtype: 'float32', threshold: 0.5 },
      registered_name: null,
    });
    expect(metricToKeras(new metrics.MeanAbsoluteError()).config).toEqual({
      name: 'mean_absolute_error',
      dtype: 'float32',
    });
    expect(metricToKeras(new metrics.SparseCategoricalCrossentropy()).config).toEqual({
      name: 'sparse_categorical_crossentropy',
      dtype: 'float32',
      from_logits: false,
      ignore_class: null,
      axis: -1,
    });
    for (const m of [
      new metrics.BinaryAccuracy({ threshold: 0.3, name: 'ba' }),
      new metrics.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
      new metrics.SparseCategoricalAccuracy(),
    ]) {
      const json = metricToKeras(m);
      expect(metricToKeras(metricFromKeras(json))).toEqual(json);
    }
    expect(metricFromKeras('accuracy').name).toBe('accuracy');
  });

  it('rejects what it cannot represent', () => {
    expect(() => metricToKeras(metrics.getMetric('accuracy'))).toThrow(/strings/);
    expect(() => metricFromKeras({ class_name: 'AUC', config: {} })).toThrow(UnknownNameError);
    expect(() => metricFromKeras({ class_name: 'Accuracy', config: { dtype: 'float64' } })).toThrow(/dtype/);
  });
});
