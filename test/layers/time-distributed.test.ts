/**
 * TimeDistributed: a wrapped Dense gives, at every step, what the Dense gives on that step alone (checked step by
 * step); inputs of rank 4; gradients against float64 finite differences (inputs and the wrapped weights); the
 * mask passing through; Keras 3's config key for key (from the tagger model saved by Keras 3.15); typed errors.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { input } from '../../src/layers/input-layer.js';
import { attachMask, maskOf } from '../../src/layers/mask.js';
import { TimeDistributed } from '../../src/layers/time-distributed.js';
import { reshape, slice } from '../../src/ops/index.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { expectError } from '../helpers/errors.js';
import { fixtureLayerEntries } from '../helpers/layer-configs.js';

const seq = (b: number, t: number, f: number): Tensor =>
  tensor(
    Array.from({ length: b * t * f }, (_, k) => Math.sin(k + 1)),
    [b, t, f],
  );

describe('TimeDistributed', () => {
  it('applies the wrapped Dense to every time step with the same weights', () => {
    const dense = new Dense({ units: 2, activation: 'tanh', biasInitializer: 'ones' });
    const layer = new TimeDistributed({ layer: dense });
    const x = seq(3, 4, 5);
    const y = layer.call(x);
    expect(y.shape).toEqual([3, 4, 2]);
    expect(dense.built).toBe(true);
    expect(dense.kernel!.shape).toEqual([5, 2]);
    const got = y.arraySync() as number[][][];
    for (let t = 0; t < 4; t++) {
      const step = dense.call(reshape(slice(x, [0, t, 0], [3, 1, 5]), [3, 5])).arraySync() as number[][];
      for (let b = 0; b < 3; b++) for (let u = 0; u < 2; u++) expect(got[b]![t]![u]).toBeCloseTo(step[b]![u]!, 6);
    }
    expect(layer.weights).toEqual(dense.weights);
    expect(layer.countParams()).toBe(12);
  });

  it('takes inputs of rank 4 ([B,T,K,F] → [B,T,K,units]) and reports output shapes', () => {
    const layer = new TimeDistributed({ layer: new Dense({ units: 3 }) });
    expect(layer.call(tensor(new Float32Array(2 * 3 * 4 * 5).fill(1), [2, 3, 4, 5])).shape).toEqual([2, 3, 4, 3]);
    expect(layer.computeOutputShape([null, 7, 4, 5])).toEqual([null, 7, 4, 3]);
    expect(layer.computeOutputShape([null, null, 5])).toEqual([null, null, 3]);
  });

  it('has the gradients of the per-step Dense (float64 finite differences: inputs, kernel, bias)', () => {
    const rng = new Random(11);
    const dense = new Dense({ units: 3, activation: 'tanh', dtype: 'float64' });
    const layer = new TimeDistributed({ layer: dense, dtype: 'float64' });
    layer.build([null, null, 4]);
    const report = checkGradients(
      (xv, kv, bv) => {
        dense.kernel = kv!;
        dense.bias = bv!;
        return layer.call(xv!);
      },
      [
        randomFloat64(rng, [2, 3, 4]),
        randomFloat64(rng, [4, 3], { lo: -1, hi: 1 }),
        randomFloat64(rng, [3], { lo: -1, hi: 1 }),
      ],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });

  it('passes the mask through to its output (eager apply and symbolic)', () => {
    const layer = new TimeDistributed({ layer: new Dense({ units: 2 }) });
    expect(layer.supportsMasking).toBe(true);
    const x = attachMask(
      seq(2, 3, 4),
      tensor(
        [
          [1, 1, 0],
          [1, 0, 0],
        ],
        undefined,
        'bool',
      ),
    );
    const y = layer.apply(x);
    expect(maskOf(y)!.arraySync()).toEqual([
      [true, true, false],
      [true, false, false],
    ]);
    const mask = tensor(
      [
        [1, 0, 1],
        [1, 1, 1],
      ],
      undefined,
      'bool',
    );
    expect(layer.computeMask(x, mask)).toBe(mask);
    const sym = layer.apply(input({ shape: [null, 4] }));
    expect(sym.shape).toEqual([null, null, 2]);
    // The outputs at masked steps are the Dense of those steps: TimeDistributed does not change values.
    expect(layer.call(x, { mask }).arraySync()).toEqual(layer.call(x).arraySync());
  });

  it('rejects bad arguments and inputs with typed errors', () => {
    expectError(
      () => new TimeDistributed({ layer: 'dense' as never }),
      InvalidArgumentError,
      'layer',
      'a Layer instance',
    );
    expectError(() => new TimeDistributed(undefined as never), InvalidArgumentError, 'args');
    const layer = new TimeDistributed({ layer: new Dense({ units: 2 }) });
    expectError(() => layer.apply(tensor([[1, 2]])), ShapeError, 'inputs', 'at least 3 dimensions');
    expectError(() => layer.build([null, 3]), ShapeError, 'inputShape');
    expectError(() => layer.call(seq(2, 3, 4), { mask: tensor([[1, 1]]) }), ShapeError, 'mask', '[2, 3, ...]');
  });
});

describe('TimeDistributed Keras config', () => {
  const entry = fixtureLayerEntries('model-tagger', 'TimeDistributed')[0]!;
  const keras = entry.config as Record<string, unknown>;

  it('writes Keras 3.15 configs key for key, the wrapped layer with its build_config', () => {
    const layer = new TimeDistributed({ layer: new Dense({ units: 2, name: 'dense_7' }), name: 'time_distributed' });
    layer.build([null, null, 12]);
    expect(layer.getConfig()).toEqual(keras);
    expect(Object.keys(layer.getConfig())).toEqual(Object.keys(keras));
    expect(layer.buildInputShape).toEqual((entry.build_config as { input_shape: unknown }).input_shape);
  });

  it('reads them back, building the wrapped layer from its build_config', () => {
    const layer = TimeDistributed.fromConfig(keras);
    expect(layer.layer).toBeInstanceOf(Dense);
    expect(layer.layer.built).toBe(true);
    expect(layer.weights.map((w) => w.shape)).toEqual([[12, 2], [2]]);
    expect(layer.getConfig()).toEqual(keras);
    const unbuilt = { ...keras, layer: { ...(keras.layer as object), build_config: undefined } };
    delete (unbuilt.layer as Record<string, unknown>).build_config;
    expect(TimeDistributed.fromConfig(unbuilt).layer.built).toBe(false);
    expectError(
      () => TimeDistributed.fromConfig({ ...keras, layer: { class_name: 'Conv2D', config: {} } }),
      InvalidArgumentError,
      'config.layer.class_name',
      'Conv2D',
    );
    expectError(() => TimeDistributed.fromConfig({ name: 'td' }), InvalidArgumentError, 'config.layer');
    expectError(() => TimeDistributed.fromConfig({ ...keras, units: 3 }), InvalidArgumentError, 'config.units');
  });
});
