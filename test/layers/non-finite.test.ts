/**
 * What NaN and infinities in the input give (docs/reliability.md): they propagate as IEEE arithmetic does, as in
 * Keras — no check, no error — and stay within the batch rows (samples) that hold them. Finite input never
 * gives NaN (the fuzz suite checks that over thousands of shapes and magnitudes).
 */
import { describe, expect, it } from 'vitest';
import { Dense, GRU, tensor, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

describe.each(BACKENDS)('%s backend', (backend) => {
  useBackend(backend);

  it('a NaN input step makes that sample NaN from that step on, and leaves the other samples alone', () => {
    const layer = new GRU({ units: 3, returnSequences: true, kernelInitializer: 'ones', recurrentInitializer: 'ones' });
    // x is [2,3,1]; sample 0 has NaN at step 1.
    const y = (
      layer.apply(
        tensor([
          [[0.5], [NaN], [0.2]],
          [[0.1], [0.2], [0.3]],
        ]),
      ) as Tensor
    ).arraySync() as number[][][];
    expect(y[0]![0]!.every(Number.isFinite)).toBe(true);
    expect(y[0]![1]!.every(Number.isNaN)).toBe(true);
    expect(y[0]![2]!.every(Number.isNaN)).toBe(true);
    expect(y[1]!.flat().every(Number.isFinite)).toBe(true);
  });

  it('an infinite input saturates the gates where the arithmetic allows (Keras gives the same)', () => {
    // All-ones weights and zero bias: z = r = σ(+∞) = 1, ĥ = tanh(+∞) = 1, h' = z·h + (1 − z)·ĥ = h = 0.
    const layer = new GRU({ units: 2, kernelInitializer: 'ones', recurrentInitializer: 'ones' });
    const y = (layer.apply(tensor([[[Infinity]]])) as Tensor).dataSync();
    expect(Array.from(y)).toEqual([0, 0]);
    // ∞ − ∞ is NaN: with weights of both signs an infinite input gives NaN.
    const dense = new Dense({ units: 1, kernelInitializer: 'ones' });
    expect(Number.isNaN(dense.apply(tensor([[Infinity, -Infinity]])).dataSync()[0])).toBe(true);
  });
});
