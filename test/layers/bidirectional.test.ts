/**
 * Bidirectional: the merged output against two plain GRU layers given the same weights (every merge mode,
 * sequences or last outputs, returned states, split initial states, masks with zeros at padding), the tagger
 * layers of a Keras 3.15 model reproducing Keras's predictions, gradients against float64 finite differences,
 * Keras 3's config key for key, and typed errors.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { Bidirectional } from '../../src/layers/bidirectional.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { attachMask, maskOf } from '../../src/layers/mask.js';
import { Masking } from '../../src/layers/masking.js';
import { TimeDistributed } from '../../src/layers/time-distributed.js';
import { add, concat, div, mul, reverse } from '../../src/ops/index.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { loadFixture, maxAbsDiff, toTensor, type FixtureTensor } from '../helpers/fixtures.js';
import { expectError } from '../helpers/errors.js';
import { fixtureLayerEntries } from '../helpers/layer-configs.js';
import { randomTensor } from '../helpers/random.js';

const seq = (b: number, t: number, f: number, seed = 1): Tensor => randomTensor(seed, [b, t, f]);

/** Plain GRUs with the bidirectional layer's weights: forward, and backward (goBackwards). */
function twins(
  bi: Bidirectional,
  options: { returnSequences?: boolean; returnState?: boolean; zeroOutputForMask?: boolean } = {},
): [GRU, GRU] {
  const units = (bi.forwardLayer as GRU).units;
  const f = new GRU({ units, ...options });
  const b = new GRU({ units, goBackwards: true, ...options });
  const shape = bi.buildInputShape as (number | null)[];
  f.build(shape);
  b.build(shape);
  f.setWeights(bi.forwardLayer.getWeights());
  b.setWeights(bi.backwardLayer.getWeights());
  return [f, b];
}

function expectClose(actual: Tensor, expected: Tensor, tol = 1e-6): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(maxAbsDiff(actual, { shape: [...expected.shape], data: [...expected.dataSync()] })).toBeLessThanOrEqual(tol);
}

describe('Bidirectional', () => {
  it('makes fresh forward_/backward_ copies of the layer and lists forward weights first', () => {
    const template = new GRU({ units: 3, returnSequences: true, name: 'gru_t' });
    const bi = new Bidirectional({ layer: template });
    expect(bi.forwardLayer).not.toBe(template);
    expect([bi.forwardLayer.name, bi.backwardLayer.name]).toEqual(['forward_gru_t', 'backward_gru_t']);
    expect([bi.forwardLayer.goBackwards, bi.backwardLayer.goBackwards]).toEqual([false, true]);
    // Keras forces zeroOutputForMask = returnSequences on both directions.
    expect([bi.forwardLayer.zeroOutputForMask, bi.backwardLayer.zeroOutputForMask]).toEqual([true, true]);
    bi.build([null, 5, 2]);
    expect(template.built).toBe(false);
    expect(bi.weights).toHaveLength(6);
    expect(bi.weights.slice(0, 3)).toEqual(bi.forwardLayer.weights);
    expect(bi.weights.slice(3)).toEqual(bi.backwardLayer.weights);
    expect(bi.countParams()).toBe(2 * (2 * 9 + 3 * 9 + 2 * 9));
    expect(new Bidirectional({ layer: new GRU({ units: 2, name: 'forward_x' }) }).forwardLayer.name).toBe('forward_x');
    expect(new Bidirectional({ layer: new GRU({ units: 2 }) }).forwardLayer.zeroOutputForMask).toBe(false);
  });

  it('concatenates the forward sequence with the time-reversed backward sequence', () => {
    const bi = new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }) });
    const x = seq(2, 5, 4);
    const y = bi.call(x) as Tensor;
    const [f, b] = twins(bi, { returnSequences: true });
    expect(y.shape).toEqual([2, 5, 6]);
    expectClose(y, concat([f.call(x) as Tensor, reverse(b.call(x) as Tensor, 1)], 2));
  });

  it('merges by sum, mul, ave, or returns both with mergeMode null', () => {
    const x = seq(2, 4, 3, 2);
    for (const mergeMode of ['sum', 'mul', 'ave', null] as const) {
      const bi = new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true }), mergeMode });
      const out = bi.call(x);
      const [f, b] = twins(bi, { returnSequences: true });
      const yf = f.call(x) as Tensor;
      const yb = reverse(b.call(x) as Tensor, 1);
      const expected = { sum: add(yf, yb), mul: mul(yf, yb), ave: div(add(yf, yb), 2) };
      if (mergeMode === null) {
        expect(Array.isArray(out)).toBe(true);
        expectClose((out as Tensor[])[0]!, yf);
        expectClose((out as Tensor[])[1]!, yb);
        expect(bi.computeOutputShape([null, 4, 3])).toEqual([
          [null, 4, 2],
          [null, 4, 2],
        ]);
      } else {
        expectClose(out as Tensor, expected[mergeMode]);
        expect(bi.computeOutputShape([null, 4, 3])).toEqual([null, 4, 2]);
      }
    }
  });

  it('with last outputs: concatenates the final outputs (the backward one is not reversed)', () => {
    const bi = new Bidirectional({ layer: new GRU({ units: 3 }) });
    const x = seq(2, 6, 2, 3);
    const y = bi.call(x) as Tensor;
    const [f, b] = twins(bi);
    expectClose(y, concat([f.call(x) as Tensor, b.call(x) as Tensor], 1));
    expect(bi.computeOutputShape([null, 6, 2])).toEqual([null, 6]);
  });

  it('returns [merged, forward states, backward states] with returnState, and splits initial states in halves', () => {
    const bi = new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true, returnState: true }) });
    const x = seq(3, 4, 2, 4);
    const h0f = seq(1, 3, 2, 5).arraySync() as number[][][];
    const h0 = [
      tensor(h0f[0]!),
      tensor([
        [0.5, -0.5],
        [0.1, 0.2],
        [-0.3, 0.4],
      ]),
    ];
    const out = bi.call(x, { initialState: h0 }) as Tensor[];
    const [f, b] = twins(bi, { returnSequences: true, returnState: true });
    const [yf, hf] = f.call(x, { initialState: [h0[0]!] }) as Tensor[];
    const [yb, hb] = b.call(x, { initialState: [h0[1]!] }) as Tensor[];
    expect(out).toHaveLength(3);
    expectClose(out[0]!, concat([yf!, reverse(yb!, 1)], 2));
    expectClose(out[1]!, hf!);
    expectClose(out[2]!, hb!);
    expect(bi.computeOutputShape([null, 4, 2])).toEqual([
      [null, 4, 4],
      [null, 2],
      [null, 2],
    ]);
    const both = new Bidirectional({ layer: new GRU({ units: 2, returnState: true }), mergeMode: null });
    expect(both.call(x)).toHaveLength(4);
    expect(both.computeOutputShape([null, 4, 2])).toEqual([
      [null, 2],
      [null, 2],
      [null, 2],
      [null, 2],
    ]);
  });

  it('passes the mask to both directions; padded steps merge to zeros', () => {
    const bi = new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true }) });
    const x = seq(2, 5, 3, 6);
    const mask = tensor(
      [
        [1, 1, 1, 1, 1],
        [1, 1, 1, 0, 0],
      ],
      undefined,
      'bool',
    );
    const y = bi.call(x, { mask }) as Tensor;
    const [f, b] = twins(bi, { returnSequences: true, zeroOutputForMask: true });
    expectClose(y, concat([f.call(x, { mask }) as Tensor, reverse(b.call(x, { mask }) as Tensor, 1)], 2));
    const rows = y.arraySync() as number[][][];
    expect(rows[1]![3]).toEqual([0, 0, 0, 0]);
    expect(rows[1]![4]).toEqual([0, 0, 0, 0]);
    // Through apply, the mask attached to the input is used and passed on with the sequence output.
    const out = bi.apply(attachMask(x, mask)) as Tensor;
    expectClose(out, y, 0);
    expect(maskOf(out)).toBe(mask);
    expect(bi.computeMask(x, mask)).toBe(mask);
    const last = new Bidirectional({ layer: new GRU({ units: 2 }) });
    expect(last.computeMask(x, mask)).toBeNull();
    expect(
      new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true }), mergeMode: null }).computeMask(x, mask),
    ).toEqual([mask, mask]);
  });

  it('is symbolic-callable: output shape and mask from the input', () => {
    const x = input({ shape: [null, 4] });
    const masked = new Masking().apply(x);
    const y = new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }) }).apply(masked);
    expect(Array.isArray(y)).toBe(false);
    expect((y as { shape: unknown }).shape).toEqual([null, null, 6]);
    expect((y as { mask: { shape: unknown } | null }).mask?.shape).toEqual([null, null]);
  });

  it('uses a given backward layer as is, and sets weights given at construction when built', () => {
    const backward = new GRU({ units: 2, goBackwards: true, returnSequences: true, activation: 'relu', name: 'back' });
    const bi = new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true }), backwardLayer: backward });
    expect(bi.backwardLayer).toBe(backward);
    expect(backward.zeroOutputForMask).toBe(true);
    const donor = new Bidirectional({ layer: new GRU({ units: 2 }) });
    donor.build([null, 3, 2]);
    const weighted = new Bidirectional({ layer: new GRU({ units: 2 }), weights: donor.getWeights() });
    weighted.build([null, 3, 2]);
    weighted.getWeights().forEach((w, i) => expect([...w.dataSync()]).toEqual([...donor.getWeights()[i]!.dataSync()]));
  });

  it('has the gradients of both directions (float64 finite differences: inputs, both kernels)', () => {
    const rng = new Random(21);
    const bi = new Bidirectional({
      layer: new GRU({ units: 2, returnSequences: true, dtype: 'float64' }),
      dtype: 'float64',
    });
    bi.build([null, 3, 2]);
    const mask = tensor(
      [
        [1, 1, 1],
        [1, 1, 0],
      ],
      undefined,
      'bool',
    );
    const report = checkGradients(
      (xv, kf, kb) => {
        (bi.forwardLayer as GRU).cell.kernel = kf!;
        (bi.backwardLayer as GRU).cell.kernel = kb!;
        return bi.call(xv!, { mask });
      },
      [
        randomFloat64(rng, [2, 3, 2]),
        randomFloat64(rng, [2, 6], { lo: -1, hi: 1 }),
        randomFloat64(rng, [2, 6], { lo: -1, hi: 1 }),
      ],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });

  it('rejects bad arguments and inputs with typed errors', () => {
    expectError(
      () => new Bidirectional({ layer: new Dense({ units: 2 }) as never }),
      InvalidArgumentError,
      'invalid layer',
      'recurrent layer',
      'Dense',
    );
    expectError(
      () => new Bidirectional({ layer: new GRU({ units: 2 }), mergeMode: 'max' as never }),
      InvalidArgumentError,
      'mergeMode',
      "'concat'",
    );
    expectError(
      () => new Bidirectional({ layer: new GRU({ units: 2, goBackwards: true }) }),
      InvalidArgumentError,
      'invalid layer',
      'goBackwards',
    );
    expectError(
      () => new Bidirectional({ layer: new GRU({ units: 2 }), backwardLayer: new GRU({ units: 2 }) }),
      InvalidArgumentError,
      'backwardLayer',
      'different goBackwards',
    );
    expectError(
      () =>
        new Bidirectional({
          layer: new GRU({ units: 2 }),
          backwardLayer: new GRU({ units: 2, goBackwards: true, returnSequences: true }),
        }),
      InvalidArgumentError,
      'backwardLayer',
      'returnSequences false',
    );
    expectError(
      () => new Bidirectional({ layer: new GRU({ units: 2 }), backwardLayer: new Dense({ units: 2 }) as never }),
      InvalidArgumentError,
      'backwardLayer',
    );
    const bi = new Bidirectional({ layer: new GRU({ units: 2 }) });
    expectError(
      () => bi.call(seq(1, 2, 3), { initialState: [tensor([[0, 0]])] }),
      InvalidArgumentError,
      'initialState',
      'even number',
    );
    expectError(() => bi.apply(tensor([[1, 2]])), ShapeError, 'inputs', 'rank-3');
    bi.build([null, null, 3]);
    expectError(() => bi.apply(seq(1, 2, 4)), ShapeError, 'last dimension 3');
    expectError(() => bi.resetStates(), InvalidArgumentError, 'stateful');
  });
});

describe('Bidirectional with the tagger of a Keras 3.15 model', () => {
  const fx = loadFixture<{ weights: FixtureTensor[]; inputs: { x: FixtureTensor }; outputs: FixtureTensor[] }>(
    'model-tagger',
  );
  const entry = fixtureLayerEntries('model-tagger', 'Bidirectional')[0]!;
  const keras = entry.config as Record<string, unknown>;

  it("Masking → Bidirectional(GRU) → TimeDistributed(Dense) reproduce Keras's predictions", () => {
    const masking = new Masking();
    const bi = new Bidirectional({ layer: new GRU({ units: 6, returnSequences: true }) });
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }) });
    bi.build([null, null, 4]);
    td.build([null, null, 12]);
    const weights = fx.weights.map((w) => toTensor(w));
    bi.setWeights(weights.slice(0, 6));
    td.setWeights(weights.slice(6));
    const x = toTensor(fx.inputs.x);
    const y = td.apply(bi.apply(masking.apply(x)) as Tensor);
    expect(maxAbsDiff(y, fx.outputs[0]!)).toBeLessThan(1e-5);
  });

  it('writes Keras 3.15 configs key for key (inner layers with zero_output_for_mask and build_config)', () => {
    const bi = new Bidirectional({
      layer: new GRU({ units: 6, returnSequences: true, name: 'gru_30' }),
      name: 'bidirectional',
    });
    bi.build([null, null, 4]);
    expect(bi.getConfig()).toEqual(keras);
    expect(Object.keys(bi.getConfig())).toEqual(Object.keys(keras));
    expect(Object.keys((bi.getConfig().layer as { config: object }).config)).toEqual(
      Object.keys((keras.layer as { config: object }).config),
    );
  });

  it('reads them back: both layers built from their build_config, the backward layer as written', () => {
    const bi = Bidirectional.fromConfig(keras);
    expect([bi.forwardLayer.name, bi.backwardLayer.name]).toEqual(['forward_gru_30', 'backward_gru_30']);
    expect(bi.forwardLayer.built && bi.backwardLayer.built).toBe(true);
    expect(bi.weights.map((w) => w.shape)).toEqual(fx.weights.slice(0, 6).map((w) => w.shape));
    expect(bi.getConfig()).toEqual(keras);
    const { backward_layer: _, ...withoutBackward } = keras;
    expect(Bidirectional.fromConfig(withoutBackward).backwardLayer.goBackwards).toBe(true);
    expectError(() => Bidirectional.fromConfig({ ...keras, merge_mode: 'max' }), InvalidArgumentError, 'mergeMode');
    expectError(() => Bidirectional.fromConfig({ ...keras, units: 3 }), InvalidArgumentError, 'config.units');
  });
});
