/**
 * Done when: GaussianNoise, GaussianDropout and SpatialDropout1D are the identity at inference, draw seeded
 * noise in training with Keras's statistics (additive N(0, stddev²); multiplicative N(1, rate/(1 − rate));
 * whole channels dropped and the kept scaled by 1/(1 − rate)), pass gradients through the drawn noise, pass a
 * mask on, and write Keras 3's configs (SpatialDropout1D's four keys only, no build_config: built at init).
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { deserializeLayer } from '../../src/keras/layer-classes.js';
import { serializeLayer } from '../../src/keras/layer-serialization.js';
import { input } from '../../src/layers/input-layer.js';
import { attachMask, maskOf } from '../../src/layers/mask.js';
import { GaussianDropout, GaussianNoise, SpatialDropout1D } from '../../src/layers/noise.js';
import { ones, tensor, type Tensor } from '../../src/tensor/tensor.js';
import { expectError } from '../helpers/errors.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { Random } from '../../src/random/rng.js';

const meanAndVariance = (v: ArrayLike<number>): [number, number] => {
  const a = Array.from(v);
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return [m, a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length];
};

describe('inference is the identity; training draws seeded noise', () => {
  const x = (): Tensor => ones([50, 20, 10]);

  it('GaussianNoise adds N(0, stddev²)', () => {
    const layer = new GaussianNoise({ stddev: 0.5, seed: 3 });
    const input1 = x();
    expect(layer.apply(input1)).toBe(input1);
    const [m, v] = meanAndVariance(layer.apply(x(), { training: true }).values);
    // 10,000 draws: the mean's standard error is 0.005, the variance's about 0.0035.
    expect(m).toBeCloseTo(1, 1);
    expect(v).toBeGreaterThan(0.25 - 0.02);
    expect(v).toBeLessThan(0.25 + 0.02);
    const again = new GaussianNoise({ stddev: 0.5, seed: 3 }).apply(x(), { training: true });
    const first = new GaussianNoise({ stddev: 0.5, seed: 3 }).apply(x(), { training: true });
    expect(Array.from(again.values)).toEqual(Array.from(first.values));
    expectError(() => new GaussianNoise({ stddev: 2 }), InvalidArgumentError, 'stddev');
  });

  it('GaussianDropout multiplies by N(1, rate / (1 − rate))', () => {
    const layer = new GaussianDropout({ rate: 0.2, seed: 4 });
    const input1 = x();
    expect(layer.apply(input1)).toBe(input1);
    const [m, v] = meanAndVariance(layer.apply(x(), { training: true }).values);
    expect(m).toBeCloseTo(1, 1);
    expect(v).toBeGreaterThan(0.25 - 0.02);
    expect(v).toBeLessThan(0.25 + 0.02);
    expectError(() => new GaussianDropout({ rate: -0.1 }), InvalidArgumentError, 'rate');
  });

  it('SpatialDropout1D drops whole channels: one draw per (sample, channel), shared over time', () => {
    const layer = new SpatialDropout1D({ rate: 0.5, seed: 5 });
    const input1 = x();
    expect(layer.apply(input1)).toBe(input1);
    const y = layer.apply(x(), { training: true });
    const kept = new Set<number>();
    for (let b = 0; b < 50; b++) {
      for (let c = 0; c < 10; c++) {
        const column = Array.from({ length: 20 }, (_, t) => y.values[(b * 20 + t) * 10 + c]!);
        expect(new Set(column).size).toBe(1);
        kept.add(column[0]!);
      }
    }
    expect([...kept].sort()).toEqual([0, 2]);
    expect(layer.name).toMatch(/^spatial_dropout1d/);
    expectError(() => layer.apply(ones([2, 3])), ShapeError, 'rank 3');
    expectError(
      () => new SpatialDropout1D({ rate: 0.5, noiseShape: [1] } as never),
      InvalidArgumentError,
      'noiseShape',
    );
  });

  it.each([
    ['GaussianNoise', () => new GaussianNoise({ stddev: 0.3, seed: 1, dtype: 'float64' })],
    ['GaussianDropout', () => new GaussianDropout({ rate: 0.3, seed: 1, dtype: 'float64' })],
    ['SpatialDropout1D', () => new SpatialDropout1D({ rate: 0.3, seed: 1, dtype: 'float64' })],
  ] as const)('%s: the gradient passes through the (fixed) noise', (_name, make) => {
    // Each call draws anew, so the finite differences need one draw: a fresh layer per call, same seed.
    const report = checkGradients(
      (v) => make().call(v!, { training: true }),
      [randomFloat64(new Random(2), [3, 4, 5])],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });

  it('a mask passes on', () => {
    const masked = attachMask(ones([1, 2, 3]), tensor([[1, 0]], undefined, 'bool'));
    for (const layer of [
      new GaussianNoise({ stddev: 0.1 }),
      new GaussianDropout({ rate: 0.1 }),
      new SpatialDropout1D({ rate: 0.1 }),
    ]) {
      expect(maskOf(layer.apply(masked, { training: true }))!.arraySync()).toEqual([[true, false]]);
    }
  });
});

describe('Keras configs', () => {
  it.each([
    [new GaussianNoise({ stddev: 0.1, seed: 7, name: 'gn' }), ['name', 'trainable', 'dtype', 'stddev', 'seed']],
    [new GaussianDropout({ rate: 0.2, name: 'gd' }), ['name', 'trainable', 'dtype', 'rate', 'seed']],
    [new SpatialDropout1D({ rate: 0.3, name: 'sd' }), ['rate', 'seed', 'name', 'dtype']],
  ] as const)('%o', (layer, keys) => {
    layer.apply(input({ shape: [4, 2] }));
    const json = serializeLayer(layer);
    expect(Object.keys(json.config)).toEqual(keys);
    expect(json.build_config).toBeUndefined();
    const copy = deserializeLayer(json);
    expect(copy.className).toBe(layer.className);
    expect(copy.getConfig()).toEqual(layer.getConfig());
  });

  it('SpatialDropout1D writes dtype as a plain string, as Keras 3 does', () => {
    expect(new SpatialDropout1D({ rate: 0.1, name: 's' }).getConfig()).toEqual({
      rate: 0.1,
      seed: null,
      name: 's',
      dtype: 'float32',
    });
  });
});
