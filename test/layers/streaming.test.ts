/**
 * Streaming: `step(inputs, states)` and one-step calls of a stateful layer walk a 1,000-step series one sample
 * at a time and give the whole-sequence result within 1e-6, on both GRU conventions.
 */
import { describe, expect, it } from 'vitest';
import { GRU, reshape, slice, tensor, zeros, type Tensor } from '../../src/index.js';
import { Random } from '../../src/random/rng.js';

const T = 1000;
const B = 2;
const I = 3;
const U = 8;

function series(): Tensor {
  const rng = new Random(5);
  const values: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) values.push(Math.sin(0.05 * t + b), Math.cos(0.013 * t), rng.uniform() - 0.5);
  }
  return tensor(values, [B, T, I]);
}

const maxDiff = (a: Tensor, b: Tensor): number =>
  Math.max(...Array.from(a.dataSync()).map((v, i) => Math.abs(v - b.dataSync()[i]!)));

describe.each([true, false])('streaming a 1,000-step series (resetAfter %s)', (resetAfter) => {
  const x = series();
  const make = (stateful: boolean): GRU => {
    const layer = new GRU({
      units: U,
      resetAfter,
      stateful,
      returnSequences: true,
      kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } },
      recurrentInitializer: { class_name: 'Orthogonal', config: { seed: 2 } },
      biasInitializer: { class_name: 'RandomUniform', config: { seed: 3, minval: -0.3, maxval: 0.3 } },
    });
    layer.build([B, T, I]);
    return layer;
  };
  const whole = make(false).apply(x) as Tensor;
  const at = (t: number): Tensor => reshape(slice(whole, [0, t, 0], [B, 1, U]), [B, U]);

  it('step() equals the sequence call at every step', () => {
    const layer = make(false);
    let h = zeros([B, U]);
    let worst = 0;
    for (let t = 0; t < T; t++) {
      const [out, states] = layer.step(reshape(slice(x, [0, t, 0], [B, 1, I]), [B, I]), [h]);
      h = states[0]!;
      worst = Math.max(worst, maxDiff(out, at(t)));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('one-step calls of a stateful layer equal the sequence call', () => {
    const layer = make(true);
    let worst = 0;
    for (let t = 0; t < T; t++) {
      const out = layer.apply(slice(x, [0, t, 0], [B, 1, I])) as Tensor;
      worst = Math.max(worst, maxDiff(reshape(out, [B, U]), at(t)));
    }
    expect(worst).toBeLessThan(1e-6);
  });
});
