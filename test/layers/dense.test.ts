/**
 * Dense: the math against a plain loop, any input rank, gradients against float64 finite differences, the
 * Keras 3 config key for key (from real Keras files), regularizers, constraints and typed errors.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { expectError } from '../helpers/errors.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { loadFixture } from '../helpers/fixtures.js';
import { stripShared } from '../helpers/layer-configs.js';
import { seededValues } from '../helpers/random.js';

/** y[r, u] = act(Σ_i x[r, i] k[i, u] + b[u]) over the rows r of x flattened to [R, I]. */
function reference(x: Tensor, kernel: Tensor, bias: Tensor | null, act: (v: number) => number): number[] {
  const [I, U] = kernel.shape as [number, number];
  const rows = x.size / I;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < U; u++) {
      let s = 0;
      for (let i = 0; i < I; i++) s += x.values[r * I + i]! * kernel.values[i * U + u]!;
      out.push(act(s + (bias === null ? 0 : bias.values[u]!)));
    }
  }
  return out;
}

describe('Dense', () => {
  it('creates kernel [I, units] and bias [units] and computes act(x·kernel + bias)', () => {
    const layer = new Dense({
      units: 3,
      activation: 'tanh',
      kernelInitializer: 'glorot_uniform',
      biasInitializer: 'ones',
    });
    const x = tensor(seededValues(1, 8), [2, 4]);
    const y = layer.apply(x);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [4, 3]],
      ['bias', [3]],
    ]);
    expect(y.shape).toEqual([2, 3]);
    const expected = reference(x, layer.kernel!, layer.bias!, Math.tanh);
    [...y.dataSync()].forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(layer.countParams()).toBe(15);
  });

  it('applies to the last axis of inputs of rank 3 and 4', () => {
    const layer = new Dense({ units: 2 });
    const x3 = tensor(seededValues(2, 2 * 5 * 3), [2, 5, 3]);
    const y3 = layer.apply(x3);
    expect(y3.shape).toEqual([2, 5, 2]);
    const expected = reference(x3, layer.kernel!, layer.bias!, (v) => v);
    [...y3.dataSync()].forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    const x4 = tensor(seededValues(3, 2 * 2 * 2 * 3), [2, 2, 2, 3]);
    expect(layer.apply(x4).shape).toEqual([2, 2, 2, 2]);
    expect(layer.computeOutputShape([null, 7, 3])).toEqual([null, 7, 2]);
  });

  it('has no bias with useBias: false', () => {
    const layer = new Dense({ units: 2, useBias: false });
    layer.build([null, 3]);
    expect(layer.weights.map((w) => w.name)).toEqual(['kernel']);
    expect(layer.bias).toBeNull();
  });

  it('passes a mask through unchanged', () => {
    const layer = new Dense({ units: 2 });
    const mask = tensor([[1, 0]], undefined, 'bool');
    expect(layer.computeMask(tensor([[[1], [2]]]), mask)).toBe(mask);
  });

  it('has gradients matching float64 finite differences (rank 3, with activation)', () => {
    const rng = new Random(7);
    const layer = new Dense({ units: 3, activation: 'tanh', dtype: 'float64' });
    layer.build([null, 4, 2]);
    const x = randomFloat64(rng, [2, 4, 2]);
    const k = randomFloat64(rng, [2, 3], { lo: -1, hi: 1 });
    const b = randomFloat64(rng, [3], { lo: -1, hi: 1 });
    const report = checkGradients(
      (xv, kv, bv) => {
        // The probe variables stand in for the layer's own weights, so apply() itself is differentiated.
        layer.kernel = kv!;
        layer.bias = bv!;
        return layer.apply(xv!);
      },
      [x, k, b],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });

  it('writes Keras 3 configs key for key (real Keras files) and reads them back', () => {
    for (const name of ['model-forecaster', 'model-tagger', 'model-text_classifier']) {
      const fixture = loadFixture<{ config: unknown }>(name);
      const configs: Record<string, unknown>[] = [];
      const walk = (o: unknown): void => {
        if (Array.isArray(o)) o.forEach(walk);
        else if (o !== null && typeof o === 'object') {
          const rec = o as Record<string, unknown>;
          if (rec.class_name === 'Dense') configs.push(stripShared(rec.config) as Record<string, unknown>);
          Object.values(rec).forEach(walk);
        }
      };
      walk(fixture.config);
      expect(configs.length).toBeGreaterThan(0);
      for (const config of configs) {
        const layer = Dense.fromConfig(config);
        const out = layer.getConfig();
        expect(out).toEqual(config);
        expect(Object.keys(out)).toEqual(Object.keys(config));
      }
    }
  });

  it('serializes regularizers and constraints and round-trips them', () => {
    const layer = new Dense({
      units: 2,
      activation: 'relu',
      useBias: true,
      kernelRegularizer: { class_name: 'L2', config: { l2: 0.01 } },
      biasRegularizer: 'l1',
      activityRegularizer: 'l2',
      kernelConstraint: 'non_neg',
      biasConstraint: { class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } },
    });
    const config = layer.getConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'activity_regularizer',
      'units',
      'activation',
      'use_bias',
      'kernel_initializer',
      'bias_initializer',
      'kernel_regularizer',
      'bias_regularizer',
      'kernel_constraint',
      'bias_constraint',
      'quantization_config',
    ]);
    const again = Dense.fromConfig({ ...config, name: 'dense_copy' }).getConfig();
    expect({ ...again, name: layer.name }).toEqual(config);
  });

  it('reports regularization losses and applies constraints', () => {
    const layer = new Dense({
      units: 2,
      kernelRegularizer: { class_name: 'L2', config: { l2: 0.5 } },
      kernelConstraint: 'non_neg',
    });
    layer.build([null, 2]);
    layer.setWeights([
      tensor([
        [1, -2],
        [3, -4],
      ]),
      tensor([0, 0]),
    ]);
    expect(layer.losses).toHaveLength(1);
    expect(layer.losses[0]!.dataSync()[0]).toBeCloseTo(0.5 * (1 + 4 + 9 + 16), 5);
    layer.applyConstraints();
    expect([...layer.kernel!.dataSync()]).toEqual([1, 0, 3, 0]);
  });

  it('rejects bad arguments and inputs with typed errors', () => {
    expectError(() => new Dense({ units: 0 }), InvalidArgumentError, 'units', 'positive integer');
    expectError(() => new Dense({ units: 2.5 }), InvalidArgumentError, 'units');
    expectError(() => new Dense({ units: 2, useBias: 'yes' as unknown as boolean }), InvalidArgumentError, 'useBias');
    const layer = new Dense({ units: 2 });
    expectError(() => layer.apply(tensor([1, 2, 3])), ShapeError, 'inputs', 'rank ≥ 2');
    layer.apply(tensor([[1, 2, 3]]));
    expectError(() => layer.apply(tensor([[1, 2]])), ShapeError, 'last dimension 3', '[1, 2]');
    expectError(() => Dense.fromConfig({ units: 2, lora_rank: 4 }), InvalidArgumentError, 'lora_rank');
    expectError(() => Dense.fromConfig({ units: 2, kernel_size: 4 }), InvalidArgumentError, 'config.kernel_size');
  });

  it('never mutates its inputs', () => {
    const layer = new Dense({ units: 2 });
    const raw = [[1, 2, 3]];
    const x = tensor(raw);
    const before = [...x.dataSync()];
    layer.apply(x);
    layer.apply(raw);
    expect([...x.dataSync()]).toEqual(before);
    expect(raw).toEqual([[1, 2, 3]]);
  });
});
