/**
 * Masking: which steps are masked (all features equal to maskValue), the zeroed outputs and the bool mask,
 * the gradient (passed to kept steps only), Keras 3's config key for key (from the tagger model saved by
 * Keras 3.15), and typed errors.
 */
import { describe, expect, it } from 'vitest';
import { valueAndGrads } from '../../src/autodiff/tape.js';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { input } from '../../src/layers/input-layer.js';
import { maskOf } from '../../src/layers/mask.js';
import { Masking } from '../../src/layers/masking.js';
import { mul, sum } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/variable.js';
import { expectError } from '../helpers/errors.js';
import { fixtureLayerConfig } from '../helpers/layer-configs.js';

describe('Masking', () => {
  // [B=2, T=3, F=2]: step (0,1) is all zeros; step (1,2) has one zero feature only (kept).
  const x = tensor([
    [
      [1, 2],
      [0, 0],
      [3, -1],
    ],
    [
      [0.5, 0],
      [0, 0],
      [0, 4],
    ],
  ]);

  it('masks the steps whose features all equal maskValue and zeroes them', () => {
    const layer = new Masking();
    expect(layer.maskValue).toBe(0);
    const mask = layer.computeMask(x, null);
    expect(mask.dtype).toBe('bool');
    expect(mask.arraySync()).toEqual([
      [true, false, true],
      [true, false, true],
    ]);
    expect(layer.call(x).arraySync()).toEqual(x.arraySync());
  });

  it('sets masked steps to exactly 0 for another maskValue, and keeps steps with any other value', () => {
    const layer = new Masking({ maskValue: -1 });
    const xs = tensor([
      [
        [-1, -1],
        [-1, 2],
        [5, 6],
      ],
    ]);
    expect(layer.computeMask(xs, null).arraySync()).toEqual([[false, true, true]]);
    // inputs × 0: −1 · 0 is −0, as in Keras (x * cast(mask)).
    expect(layer.call(xs).arraySync()).toEqual([
      [
        [-0, -0],
        [-1, 2],
        [5, 6],
      ],
    ]);
  });

  it('works on any rank ≥ 1: [B,F] gives a [B] mask', () => {
    const layer = new Masking();
    const x2 = tensor([
      [0, 0],
      [0, 1],
    ]);
    expect(layer.computeMask(x2, null).arraySync()).toEqual([false, true]);
    expect(layer.call(x2).arraySync()).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(layer.computeOutputShape([null, null, 4])).toEqual([null, null, 4]);
    expect(layer.supportsMasking).toBe(true);
    expect(layer.producesMask([false])).toBe(true);
  });

  it('passes the gradient to kept steps only (by hand: dL/dx = W ⊙ keep)', () => {
    const layer = new Masking({ maskValue: 2 });
    const xv = variable(
      tensor(
        [
          [
            [2, 2],
            [2, 3],
          ],
          [
            [1, 1],
            [2, 2],
          ],
        ],
        undefined,
        'float64',
      ),
    );
    const w = tensor(
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ],
      undefined,
      'float64',
    );
    const { grads } = valueAndGrads(() => sum(mul(layer.call(xv), w)), [xv]);
    expect(grads[0]!.arraySync()).toEqual([
      [
        [0, 0],
        [3, 4],
      ],
      [
        [5, 6],
        [0, 0],
      ],
    ]);
  });

  it('through apply: attaches its mask to the output (eager), and to symbolic outputs', () => {
    const layer = new Masking();
    const y = layer.apply(x);
    expect(maskOf(y)!.arraySync()).toEqual([
      [true, false, true],
      [true, false, true],
    ]);
    const sym = layer.apply(input({ shape: [null, 2] }));
    expect(sym.shape).toEqual([null, null, 2]);
    expect(sym.mask?.shape).toEqual([null, null]);
  });

  it('rejects bad arguments with typed errors', () => {
    expectError(
      () => new Masking({ maskValue: '0' as unknown as number }),
      InvalidArgumentError,
      'maskValue',
      'a number',
    );
    expectError(() => new Masking().call(tensor(3)), ShapeError, 'inputs', 'rank ≥ 1');
    expectError(() => new Masking().call([tensor([1]), tensor([2])]), InvalidArgumentError, 'inputs', 'one tensor');
  });
});

describe('Masking Keras config', () => {
  const keras = fixtureLayerConfig('model-tagger', 'Masking');

  it('writes Keras 3.15 configs key for key and reads them back', () => {
    const layer = new Masking({ name: 'masking' });
    expect(layer.getConfig()).toEqual(keras);
    expect(Object.keys(layer.getConfig())).toEqual(Object.keys(keras));
    expect(Masking.fromConfig(keras).getConfig()).toEqual(keras);
    expect(Masking.fromConfig({ ...keras, mask_value: -1 }).maskValue).toBe(-1);
    expectError(() => Masking.fromConfig({ ...keras, mask: 1 }), InvalidArgumentError, 'config.mask');
  });
});
