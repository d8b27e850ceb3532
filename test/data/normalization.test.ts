/**
 * Normalization statistics against the examples of Keras's `Normalization` docstring (values printed there,
 * float32), and the batched merge against the one-pass statistics.
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ShapeError,
  adaptNormalization,
  normalize,
  tensor,
  timeseriesDataset,
} from '../../src/index.js';
import { expectError } from '../helpers/errors.js';

const adaptData = [
  [0, 7, 4],
  [2, 9, 6],
  [0, 7, 4],
  [2, 9, 6],
];

describe('adaptNormalization and normalize', () => {
  it('docstring: axis null over [1..5] → mean 3, variance 2, [1, 2, 3] → [-1.4142135, -0.70710677, 0]', () => {
    const stats = adaptNormalization([1, 2, 3, 4, 5], { axis: null });
    expect(stats.mean.shape).toEqual([]);
    expect(stats.mean.dataSync()[0]).toBe(3);
    expect(stats.variance.dataSync()[0]).toBe(2);
    expect(stats.count).toBe(5);
    expect([...normalize([1, 2, 3], stats).dataSync()]).toEqual([Math.fround(-1.4142135), Math.fround(-0.70710677), 0]);
  });

  it('docstring: per-feature statistics on the last axis, [[0, 7, 4]] → [-1, -1, -1]', () => {
    const stats = adaptNormalization(adaptData);
    expect(stats.axis).toEqual([1]);
    expect([...stats.mean.dataSync()]).toEqual([1, 8, 5]);
    expect([...stats.variance.dataSync()]).toEqual([1, 1, 1]);
    expect([...normalize([[0, 7, 4]], stats).dataSync()]).toEqual([-1, -1, -1]);
  });

  it('docstring: mean 3 and variance 2 given directly', () => {
    const out = normalize([[1], [2], [3]], { mean: 3, variance: 2 });
    expect(out.shape).toEqual([3, 1]);
    expect([...out.dataSync()]).toEqual([Math.fround(-1.4142135), Math.fround(-0.70710677), 0]);
  });

  it('docstring: invert maps [[1, 2, 3]] back to [2, 10, 8]', () => {
    expect([...normalize([[1, 2, 3]], adaptNormalization(adaptData), { invert: true }).dataSync()]).toEqual([2, 10, 8]);
  });

  it('a zero variance divides by 1e-7, not by zero', () => {
    const stats = adaptNormalization([[0], [0]]);
    expect(stats.variance.dataSync()[0]).toBe(0);
    expect(normalize([[1e-7]], stats).dataSync()[0]).toBeCloseTo(1, 6);
    expect(normalize([[1]], stats).dataSync()[0]).toBeCloseTo(1e7, -1);
  });

  it('several kept axes and a reduced middle axis: [B, T, F] data with axis [0, 2]', () => {
    const x = tensor([
      [
        [1, 10],
        [3, 30],
      ],
      [
        [5, 50],
        [9, 90],
      ],
    ]); // [2, 2, 2]
    const stats = adaptNormalization(x, { axis: [0, -1] });
    expect(stats.axis).toEqual([0, 2]);
    expect(stats.mean.shape).toEqual([2, 2]);
    expect([...stats.mean.dataSync()]).toEqual([2, 20, 7, 70]);
    expect([...stats.variance.dataSync()]).toEqual([1, 100, 4, 400]);
    expect([...normalize(x, stats).dataSync()]).toEqual([-1, -1, 1, 1, -1, -1, 1, 1]);
  });

  it('batches merged as Keras merges them equal the one-pass statistics (1e-12), sync and async', async () => {
    const values = Array.from({ length: 23 }, (_, i) => [Math.sin(i) * 3 + i * 0.1, Math.cos(i * 0.7) * 5 - 2]);
    const whole = adaptNormalization(values);
    const ds = timeseriesDataset(values, null, { sequenceLength: 1, batchSize: 5 });
    const batched = adaptNormalization(ds, { axis: -1 });
    const [m1, m2] = [whole.mean.dataSync(), batched.mean.dataSync()];
    const [v1, v2] = [whole.variance.dataSync(), batched.variance.dataSync()];
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(m1[i]! - m2[i]!)).toBeLessThanOrEqual(Math.abs(m1[i]!) * 2 ** -23);
      expect(Math.abs(v1[i]! - v2[i]!)).toBeLessThanOrEqual(Math.abs(v1[i]!) * 2 ** -23);
    }
    expect(batched.count).toBe(23);
    const asyncStats = await adaptNormalization(
      (async function* () {
        for (const batch of ds) yield batch;
      })(),
    );
    expect([...asyncStats.mean.dataSync()]).toEqual([...m2]);
    // An array of [x, y] pairs is a list of batches too.
    const pairs = adaptNormalization([
      [tensor([[1], [2]]), tensor([0, 0])],
      [tensor([[3]]), tensor([0])],
    ] as never);
    expect(pairs.mean.dataSync()[0]).toBe(2);
  });

  it('typed errors for bad axes, mismatched batches, empty data, mismatched mean and variance', () => {
    expectError(() => adaptNormalization([[1, 2]], { axis: 2 }), InvalidArgumentError, 'axis', 'rank 2');
    expectError(() => adaptNormalization([tensor([[1, 2]]), tensor([[1, 2, 3]])]), ShapeError, 'data batch 1');
    expectError(() => adaptNormalization([]), InvalidArgumentError, 'data');
    expectError(() => normalize([[1, 2]], { mean: [1, 2], variance: [1] }), ShapeError, 'variance');
    expectError(() => normalize([[1, 2, 3]], { mean: [1, 2], variance: [1, 1] }), ShapeError, 'size 2 on axis 1');
  });
});
