/**
 * Done when: LayerNormalization and BatchNormalization compute Keras 3's documented formulas (hand-derived
 * cases: epsilon 1e-3, population variance, momentum 0.99, masked batch statistics with Keras's 1e-7), pass
 * gradients to inputs, gamma and beta (float64 central finite differences, 1e-6 of the largest), update the
 * moving statistics in `fit` only, write Keras's configs key for key, keep Keras's weight order (gamma, beta,
 * moving_mean, moving_variance) and come back from their own .keras bytes predicting the same.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { deserializeLayer } from '../../src/keras/layer-classes.js';
import { serializeLayer } from '../../src/keras/layer-serialization.js';
import { loadModel } from '../../src/keras/load-model.js';
import { Dense } from '../../src/layers/dense.js';
import { input } from '../../src/layers/input-layer.js';
import { attachMask, maskOf } from '../../src/layers/mask.js';
import { BatchNormalization, LayerNormalization } from '../../src/layers/normalization.js';
import { Sequential } from '../../src/models/sequential.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import type { Variable } from '../../src/tensor/variable.js';
import { expectError } from '../helpers/errors.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { expectTensor, f32 } from '../helpers/tensors.js';

const norm = (v: number[], variance: number, eps = 1e-3): number[] => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.map((x) => (x - m) / Math.sqrt(variance + eps));
};

describe('LayerNormalization', () => {
  it('normalizes each sample over the last axis: mean 2.5, variance 1.25, epsilon 1e-3', () => {
    const layer = new LayerNormalization();
    const y = layer.apply(f32([[1, 2, 3, 4]]));
    const s = Math.sqrt(1.25 + 1e-3);
    expectTensor(y, [1, 4], [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]);
    expect(layer.weights.map((w) => w.name)).toEqual(['gamma', 'beta']);
    layer.setWeights([f32([1, 2, 3, 4]), f32([0, 1, 0, -1])]);
    expectTensor(layer.apply(f32([[1, 2, 3, 4]])), [1, 4], [-1.5 / s, 1 - 1 / s, 1.5 / s, 6 / s - 1]);
  });

  it('over several axes, with gamma spanning them; rms_scaling keeps only gamma', () => {
    const layer = new LayerNormalization({ axis: [1, 2], epsilon: 0.5 });
    const y = layer.apply(f32([1, 2, 3, 5], [1, 2, 2]));
    expect(layer.gamma!.shape).toEqual([2, 2]);
    // mean 2.75, variance (3.0625 + 0.5625 + 0.0625 + 5.0625) / 4 = 2.1875.
    expectTensor(y, [1, 2, 2], norm([1, 2, 3, 5], 2.1875, 0.5));
    const rms = new LayerNormalization({ rmsScaling: true });
    rms.apply(f32([[1, 3]]));
    expect(rms.weights.map((w) => w.name)).toEqual(['gamma']);
    // Keras's rms_scaling divides by sqrt(variance + epsilon): variance 1.
    expectTensor(rms.apply(f32([[1, 3]])), [1, 2], [1 / Math.sqrt(1.001), 3 / Math.sqrt(1.001)]);
    expectError(() => new LayerNormalization({ axis: 'last' as never }), InvalidArgumentError, 'axis');
    expectError(() => new LayerNormalization({ epsilon: 0 }), InvalidArgumentError, 'epsilon');
  });

  it.each([
    ['[2, 1] is sorted to [1, 2]', [2, 1], [1, 2], [2, 3]],
    // Keras sorts the values as given and reshapes the weights row-major to the input's layout.
    ['[-1, 1] stays [-1, 1], weights [3, 2]', [-1, 1], [-1, 1], [3, 2]],
  ] as const)('axes as Keras builds them: %s', (_name, axis, built, gammaShape) => {
    const layer = new LayerNormalization({ axis: [...axis], epsilon: 0.5, center: false, dtype: 'float64' });
    const x = tensor([1, 2, 4, 0, -1, 3], [1, 2, 3], 'float64');
    layer.build([null, 2, 3]);
    expect(layer.gamma!.shape).toEqual(gammaShape);
    expect(layer.getConfig().axis).toEqual(built);
    const gamma = [1, 2, 3, 4, 5, 6];
    layer.setWeights([tensor(gamma, [...gammaShape], 'float64')]);
    const values = [1, 2, 4, 0, -1, 3];
    const m = values.reduce((a, b) => a + b, 0) / 6;
    const variance = values.reduce((a, b) => a + (b - m) ** 2, 0) / 6;
    const expected = values.map((v, k) => ((v - m) / Math.sqrt(variance + 0.5)) * gamma[k]!);
    Array.from(layer.apply(x).dataSync()).forEach((y, k) => expect(y).toBeCloseTo(expected[k]!, 12));
  });

  it('passes a mask on', () => {
    const x = attachMask(f32([1, 2, 3, 4], [1, 2, 2]), tensor([[1, 0]], undefined, 'bool'));
    expect(maskOf(new LayerNormalization().apply(x))!.arraySync()).toEqual([[true, false]]);
  });

  it('gradients to inputs, gamma and beta', () => {
    const rng = new Random(5);
    const layer = new LayerNormalization({ axis: [1, 2], dtype: 'float64' });
    layer.build([null, 3, 4]);
    const report = checkGradients(
      (x, g, b) => {
        layer.gamma = g as Variable;
        layer.beta = b as Variable;
        return layer.call(x!);
      },
      [randomFloat64(rng, [2, 3, 4]), randomFloat64(rng, [3, 4]), randomFloat64(rng, [3, 4])],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });
});

describe('BatchNormalization', () => {
  const batch = (): Tensor =>
    f32([
      [1, 10],
      [3, 20],
    ]);

  it('inference uses the moving statistics (initially 0 and 1)', () => {
    const layer = new BatchNormalization();
    const s = Math.sqrt(1 + 1e-3);
    expectTensor(layer.apply(batch()), [2, 2], [1 / s, 10 / s, 3 / s, 20 / s]);
    expect(layer.weights.map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(layer.trainableWeights.map((w) => w.name)).toEqual(['gamma', 'beta']);
  });

  it('training normalizes with the batch statistics and moves the moving ones by 1 − momentum', () => {
    const layer = new BatchNormalization();
    const y = layer.apply(batch(), { training: true });
    // Batch mean [2, 15], population variance [1, 25].
    const a = Math.sqrt(1 + 1e-3);
    const b = Math.sqrt(25 + 1e-3);
    expectTensor(y, [2, 2], [-1 / a, -5 / b, 1 / a, 5 / b]);
    expectTensor(layer.movingMean!, [2], [0.02, 0.15]);
    expectTensor(layer.movingVariance!, [2], [0.99 + 0.01, 0.99 + 0.25]);
    // A frozen layer runs in inference mode even when training, and moves nothing.
    layer.trainable = false;
    layer.apply(batch(), { training: true });
    expectTensor(layer.movingMean!, [2], [0.02, 0.15]);
  });

  it('a mask leaves masked steps out of the batch statistics (sums over Σmask + 1e-7), and passes on', () => {
    const layer = new BatchNormalization({ momentum: 0 });
    const x = attachMask(f32([1, 3, 100], [1, 3, 1]), tensor([[1, 1, 0]], undefined, 'bool'));
    const y = layer.apply(x, { training: true });
    const total = 2 + 1e-7;
    const m = 4 / total;
    // Masked positions count as w·x − mean = −mean in Keras's squared difference, times weight 0.
    const v = ((1 - m) ** 2 + (3 - m) ** 2) / total;
    expect(layer.movingMean!.values[0]).toBeCloseTo(m, 6);
    expect(layer.movingVariance!.values[0]).toBeCloseTo(v, 6);
    expect(y.values[2]).toBeCloseTo((100 - m) / Math.sqrt(v + 1e-3), 4);
    expect(maskOf(y)!.arraySync()).toEqual([[true, true, false]]);
  });

  it('axis 1 of [B, C, T] (channels first); wrong shapes are typed errors', () => {
    const layer = new BatchNormalization({ axis: 1, center: false });
    layer.apply(f32([1, 2, 3, 4, 5, 6], [1, 2, 3]), { training: true });
    expect(layer.weights.map((w) => w.name)).toEqual(['gamma', 'moving_mean', 'moving_variance']);
    expectTensor(layer.movingMean!, [2], [0.02, 0.05]);
    expectError(() => layer.apply(f32([1, 2, 3], [1, 3, 1])), ShapeError, 'inputs');
    expectError(() => new BatchNormalization({ momentum: 2 }), InvalidArgumentError, 'momentum');
  });

  it.each([false, true])('gradients to inputs, gamma and beta (training %s)', (training) => {
    const rng = new Random(6);
    const layer = new BatchNormalization({ dtype: 'float64' });
    layer.build([null, 3, 4]);
    layer.movingVariance!.assign(randomFloat64(rng, [4], { lo: 0.5, hi: 2 }));
    const report = checkGradients(
      (x, g, b) => {
        layer.gamma = g as Variable;
        layer.beta = b as Variable;
        return layer.call(x!, { training });
      },
      [randomFloat64(rng, [2, 3, 4]), randomFloat64(rng, [4]), randomFloat64(rng, [4])],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });

  it('fit moves the moving statistics; the model saves them and loads back predicting the same', async () => {
    const rng = new Random(7);
    const x = tensor(
      Array.from({ length: 24 }, () => 3 + rng.normal()),
      [8, 3],
    );
    const y = tensor(
      Array.from({ length: 8 }, () => rng.normal()),
      [8, 1],
    );
    const bn = new BatchNormalization();
    const model = new Sequential([input({ shape: [3] }), bn, new Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    // Three full-batch steps: moving_mean = (1 − 0.99³) · batch mean.
    const batchMean = [0, 1, 2].map((f) => [0, 1, 2, 3, 4, 5, 6, 7].reduce((a, r) => a + x.values[r * 3 + f]!, 0) / 8);
    batchMean.forEach((m, f) => expect(bn.movingMean!.values[f]).toBeCloseTo((1 - 0.99 ** 3) * m, 5));
    const again = await loadModel(await model.toBytes());
    expect(Array.from((again.predict(x) as Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as Tensor).dataSync()),
    );
    expect(again.layers[0]!.getWeights()[2]!.arraySync()).toEqual(bn.movingMean!.read().arraySync());
  });
});

describe('Keras configs', () => {
  it('LayerNormalization: keys in Keras order; a built layer writes axis as a list, as Keras 3 does', () => {
    const layer = new LayerNormalization({ name: 'ln' });
    expect(layer.getConfig().axis).toBe(-1);
    layer.apply(input({ shape: [5, 4] }));
    const json = serializeLayer(layer);
    expect(Object.keys(json.config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'axis',
      'epsilon',
      'center',
      'scale',
      'rms_scaling',
      'beta_initializer',
      'gamma_initializer',
      'beta_regularizer',
      'gamma_regularizer',
      'beta_constraint',
      'gamma_constraint',
    ]);
    expect(json.config).toMatchObject({ axis: [-1], epsilon: 0.001, center: true, scale: true, rms_scaling: false });
    expect(json.build_config).toEqual({ input_shape: [null, 5, 4] });
    const copy = deserializeLayer(json);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.weights.map((w) => w.shape)).toEqual([[4], [4]]);
  });

  it('BatchNormalization: keys in Keras order, round trip, tf.keras options accepted only when off', () => {
    const layer = new BatchNormalization({ name: 'bn', momentum: 0.9 });
    layer.apply(input({ shape: [4] }));
    const json = serializeLayer(layer);
    expect(Object.keys(json.config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'axis',
      'momentum',
      'epsilon',
      'center',
      'scale',
      'beta_initializer',
      'gamma_initializer',
      'moving_mean_initializer',
      'moving_variance_initializer',
      'beta_regularizer',
      'gamma_regularizer',
      'beta_constraint',
      'gamma_constraint',
      'synchronized',
      'renorm',
      'renorm_clipping',
      'renorm_momentum',
    ]);
    expect(json.config).toMatchObject({ axis: -1, momentum: 0.9, epsilon: 0.001, synchronized: false, renorm: false });
    expect(deserializeLayer(json).getConfig()).toEqual(layer.getConfig());
    const keras2 = { name: 'b2', axis: [1], momentum: 0.99, epsilon: 0.001, renorm: false, fused: null };
    expect((BatchNormalization.fromConfig(keras2) as BatchNormalization).axis).toBe(1);
    expectError(() => BatchNormalization.fromConfig({ ...keras2, renorm: true }), InvalidArgumentError, 'renorm');
  });
});
