/**
 * Dropout: identity at inference, inverted scaling in training, noise shapes, seeded reproducibility, the
 * gradient through the mask, the Keras 3 config and typed errors.
 */
import { describe, expect, it } from 'vitest';
import { valueAndGrads } from '../../src/autodiff/tape.js';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { Dropout } from '../../src/layers/dropout.js';
import { sum } from '../../src/ops/index.js';
import { ones, tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/variable.js';
import { expectError } from '../helpers/errors.js';

describe('Dropout', () => {
  it('is the identity when not training', () => {
    const layer = new Dropout({ rate: 0.5 });
    const x = tensor([[1, 2, 3]]);
    expect(layer.apply(x)).toBe(x);
    expect(layer.apply(x, { training: false })).toBe(x);
  });

  it('zeroes about `rate` of the inputs and scales the rest by 1/(1 − rate)', () => {
    const layer = new Dropout({ rate: 0.25, seed: 3 });
    const y = layer.apply(ones([100, 100]), { training: true });
    const values = [...y.dataSync()];
    const kept = values.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(kept.length / values.length).toBeGreaterThan(0.73);
    expect(kept.length / values.length).toBeLessThan(0.77);
    // The expectation is preserved.
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(1, 1);
  });

  it('drops everything at rate 1 and nothing at rate 0', () => {
    expect([...new Dropout({ rate: 1 }).apply(ones([2, 3]), { training: true }).dataSync()]).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
    const x = ones([2, 3]);
    expect(new Dropout({ rate: 0 }).apply(x, { training: true })).toBe(x);
  });

  it('shares draws along axes of size 1 in noiseShape (null = the input size)', () => {
    const layer = new Dropout({ rate: 0.5, noiseShape: [null, 1, null], seed: 1 });
    const y = layer.apply(ones([3, 6, 4]), { training: true });
    const v = y.dataSync();
    for (let b = 0; b < 3; b++) {
      for (let f = 0; f < 4; f++) {
        const first = v[b * 24 + f];
        for (let t = 1; t < 6; t++) expect(v[b * 24 + t * 4 + f]).toBe(first);
      }
    }
    expectError(
      () => new Dropout({ rate: 0.5, noiseShape: [2, 1, 4] }).apply(ones([3, 6, 4]), { training: true }),
      ShapeError,
      'noiseShape',
    );
  });

  it('repeats its sequence of masks for the same seed', () => {
    const a = new Dropout({ rate: 0.5, seed: 42 });
    const b = new Dropout({ rate: 0.5, seed: 42 });
    const x = ones([4, 8]);
    const a1 = [...a.apply(x, { training: true }).dataSync()];
    const a2 = [...a.apply(x, { training: true }).dataSync()];
    expect([...b.apply(x, { training: true }).dataSync()]).toEqual(a1);
    expect([...b.apply(x, { training: true }).dataSync()]).toEqual(a2);
    expect(a2).not.toEqual(a1);
  });

  it('passes the gradient through the kept elements only, scaled', () => {
    const layer = new Dropout({ rate: 0.5, seed: 9 });
    const x = variable(ones([2, 5]));
    let y = x as ReturnType<typeof layer.apply>;
    const { grads } = valueAndGrads(() => {
      y = layer.apply(x, { training: true });
      return sum(y);
    }, [x]);
    expect([...grads[0]!.dataSync()]).toEqual([...y.dataSync()]);
  });

  it('writes the Keras 3 config and reads it back', () => {
    const layer = new Dropout({ rate: 0.3, seed: 5, noiseShape: [null, 1, 8], name: 'drop' });
    const config = layer.getConfig();
    expect(config).toEqual({
      name: 'drop',
      trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      rate: 0.3,
      seed: 5,
      noise_shape: [null, 1, 8],
    });
    expect(Dropout.fromConfig(config).getConfig()).toEqual(config);
    expect(new Dropout({ rate: 0.1 }).getConfig()).toMatchObject({ seed: null, noise_shape: null });
  });

  it('rejects bad arguments with typed errors', () => {
    expectError(() => new Dropout({ rate: 1.5 }), InvalidArgumentError, 'rate', '[0, 1]');
    expectError(() => new Dropout({ rate: -0.1 }), InvalidArgumentError, 'rate');
    expectError(() => new Dropout({ rate: 0.1, seed: 1.5 }), InvalidArgumentError, 'seed');
    expectError(() => new Dropout({ rate: 0.1, noiseShape: [0, 1] }), InvalidArgumentError, 'noiseShape');
  });
});
