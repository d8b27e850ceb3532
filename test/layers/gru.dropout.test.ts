/**
 * Dropout with Keras 3's semantics: only in training; masks drawn once per call (scaled by 1/(1 − rate)) and
 * reused at every step; one input mask for all gates unless recurrentDropout is set, then one mask per gate
 * for inputs and states; reproducible with `seed`; the fused and generic paths agree.
 */
import { describe, expect, it } from 'vitest';
import { GRU, reshape, slice, stack, tensor, zeros, type Tensor } from '../../src/index.js';

const B = 3;
const T = 5;
const I = 4;
const U = 3;
const x = tensor(
  Array.from({ length: B * T * I }, (_, k) => Math.cos(0.7 * k)),
  [B, T, I],
);

function makeLayer(options: { dropout?: number; recurrentDropout?: number; seed?: number }): GRU {
  const layer = new GRU({
    units: U,
    returnSequences: true,
    kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 3 } },
    recurrentInitializer: { class_name: 'Orthogonal', config: { seed: 4 } },
    biasInitializer: { class_name: 'RandomUniform', config: { seed: 5, minval: -0.2, maxval: 0.2 } },
    ...options,
  });
  layer.build([B, T, I]);
  return layer;
}

const values = (t: Tensor): number[] => Array.from(t.dataSync());
const maxDiff = (a: Tensor, b: Tensor): number => Math.max(...values(a).map((v, i) => Math.abs(v - values(b)[i]!)));

/** The sequence computed step by step with explicitly drawn masks. */
function manual(layer: GRU): Tensor {
  const masks = layer.cell.dropoutMasks(B, true);
  let h = zeros([B, U]);
  const outs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const xt = reshape(slice(x, [0, t, 0], [B, 1, I]), [B, I]);
    [h] = layer.cell.step(xt, [h], masks);
    outs.push(h);
  }
  return stack(outs, 1);
}

describe('GRU dropout', () => {
  it('does nothing outside training', () => {
    const plain = makeLayer({});
    const dropped = makeLayer({ dropout: 0.5, recurrentDropout: 0.3, seed: 1 });
    expect(maxDiff(dropped.apply(x) as Tensor, plain.apply(x) as Tensor)).toBe(0);
    expect(maxDiff(dropped.apply(x, { training: false }) as Tensor, plain.apply(x) as Tensor)).toBe(0);
  });

  it('changes the output in training, reproducibly with a seed', () => {
    const plain = makeLayer({}).apply(x) as Tensor;
    const a = makeLayer({ dropout: 0.5, seed: 11 }).apply(x, { training: true }) as Tensor;
    const b = makeLayer({ dropout: 0.5, seed: 11 }).apply(x, { training: true }) as Tensor;
    const c = makeLayer({ dropout: 0.5, seed: 12 }).apply(x, { training: true }) as Tensor;
    expect(maxDiff(a, plain)).toBeGreaterThan(1e-3);
    expect(values(a)).toEqual(values(b));
    expect(maxDiff(a, c)).toBeGreaterThan(1e-3);
  });

  for (const options of [{ dropout: 0.4 }, { recurrentDropout: 0.4 }, { dropout: 0.3, recurrentDropout: 0.5 }]) {
    it(`draws masks once per call and reuses them at every step (${JSON.stringify(options)})`, () => {
      const viaLayer = makeLayer({ ...options, seed: 21 }).apply(x, { training: true }) as Tensor;
      const viaSteps = manual(makeLayer({ ...options, seed: 21 }));
      expect(maxDiff(viaLayer, viaSteps)).toBeLessThan(1e-6);
    });
  }

  it('fused and generic paths give the same numbers with input dropout', () => {
    const fused = makeLayer({ dropout: 0.5, seed: 8 });
    const generic = makeLayer({ dropout: 0.5, seed: 8 });
    generic.fusedKernel = false;
    expect(
      maxDiff(fused.apply(x, { training: true }) as Tensor, generic.apply(x, { training: true }) as Tensor),
    ).toBeLessThan(1e-6);
  });

  it('scales kept units by 1/(1 − rate) and uses one input mask for all gates without recurrentDropout', () => {
    const layer = makeLayer({ dropout: 0.25, seed: 2 });
    const masks = layer.cell.dropoutMasks(B, true);
    expect(masks.input).toHaveLength(1);
    expect(masks.recurrent).toBeNull();
    const kept = values(masks.input![0]!).filter((v) => v !== 0);
    expect(kept.length).toBeGreaterThan(0);
    for (const v of kept) expect(v).toBeCloseTo(1 / 0.75, 6);
    const perGate = makeLayer({ dropout: 0.25, recurrentDropout: 0.25, seed: 2 }).cell.dropoutMasks(B, true);
    expect(perGate.input).toHaveLength(3);
    expect(perGate.recurrent).toHaveLength(3);
  });

  it('applies no dropout at rate 1, as Keras (0 < rate < 1)', () => {
    const plain = makeLayer({}).apply(x) as Tensor;
    expect(maxDiff(makeLayer({ dropout: 1 }).apply(x, { training: true }) as Tensor, plain)).toBe(0);
  });
});
