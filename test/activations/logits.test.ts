/**
 * Keras's sigmoid and softmax activations carry their logits to the crossentropy losses (Keras 3 on
 * TensorFlow): a saturated output is not clipped at 1e-7 but scored from the logits exactly.
 */
import { describe, expect, it } from 'vitest';
import { getActivation, getLoss, tensor } from '../../src/index.js';

describe('activations that carry logits', () => {
  it('binary crossentropy of a sigmoid output is computed from the logits', () => {
    const logits = tensor([[30], [-2]]);
    const yTrue = tensor([[0], [1]]);
    const probabilities = getActivation('sigmoid').apply(logits);
    const loss = getLoss('binary_crossentropy').call(yTrue, probabilities).dataSync()[0]!;
    // From logits, per row max(x, 0) − x·z + log1p(e^−|x|): 30 + log1p(e^−30) and 2 + log1p(e^−2).
    const exact = (30 + Math.log1p(Math.exp(-30)) + 2 + Math.log1p(Math.exp(-2))) / 2;
    expect(loss).toBeCloseTo(exact, 4);
    // Clipped probabilities would give −log(1e-7) ≈ 16.1 for the first row instead of 30.
    expect(loss).toBeGreaterThan(14);
  });

  it('categorical crossentropy of a softmax output is computed from the logits', () => {
    const logits = tensor([[40, 0, 0]]);
    const yTrue = tensor([[0, 1, 0]]);
    const loss = getLoss('categorical_crossentropy').call(yTrue, getActivation('softmax').apply(logits)).dataSync()[0]!;
    expect(loss).toBeCloseTo(40 + Math.log1p(2 * Math.exp(-40)), 3);
  });
});
