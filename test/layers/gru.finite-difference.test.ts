/**
 * A whole GRU sequence against float64 central finite differences: gradients w.r.t. the inputs, the initial
 * state and every weight, through the fused BPTT kernel and through the generic loop, for both resetAfter
 * conventions, masks with holes, goBackwards, sequences + state outputs, and the TF 1.x hard_sigmoid.
 * Tolerance: 1e-6 relative to the largest finite-difference value (float64 throughout).
 */
import { describe, it } from 'vitest';
import { GRU, tensor, type ActivationName, type Tensor, type Variable } from '../../src/index.js';
import { Random } from '../../src/random/rng.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';

interface Case {
  name: string;
  resetAfter: boolean;
  goBackwards?: boolean;
  mask?: number[][];
  recurrentActivation?: ActivationName;
  activation?: ActivationName;
  useBias?: boolean;
  zeroOutputForMask?: boolean;
}

const B = 3;
const T = 6;
const I = 4;
const U = 5;
const holes = [
  [1, 1, 0, 1, 1, 0],
  [0, 0, 1, 1, 1, 1],
  [1, 0, 1, 0, 1, 1],
];

const cases: Case[] = [
  { name: 'resetAfter true', resetAfter: true },
  { name: 'resetAfter false', resetAfter: false },
  { name: 'masked, backwards', resetAfter: true, goBackwards: true, mask: holes },
  { name: 'masked, resetAfter false', resetAfter: false, mask: holes },
  { name: 'masked, zero output for mask', resetAfter: true, mask: holes, zeroOutputForMask: true },
  { name: 'hard_sigmoid, no bias', resetAfter: false, recurrentActivation: 'hard_sigmoid', useBias: false },
];

describe.each(cases)('GRU sequence gradients vs finite differences: $name', (c) => {
  for (const path of ['fused', 'generic'] as const) {
    it(`through the ${path} path`, () => {
      const layer = new GRU({
        units: U,
        dtype: 'float64',
        resetAfter: c.resetAfter,
        goBackwards: c.goBackwards ?? false,
        recurrentActivation: c.recurrentActivation ?? 'sigmoid',
        activation: c.activation ?? 'tanh',
        useBias: c.useBias ?? true,
        zeroOutputForMask: c.zeroOutputForMask ?? false,
        returnSequences: true,
        returnState: true,
      });
      if (path === 'generic') layer.fusedKernel = false;
      layer.build([B, T, I]);
      const rng = new Random(7);
      // Non-symmetric random weights (kept away from hard_sigmoid's kinks by their small scale).
      const weights = layer.getWeights().map((w) => randomFloat64(rng, w.shape, { lo: -0.6, hi: 0.6 }));
      const x = randomFloat64(rng, [B, T, I], { lo: -1, hi: 1 });
      const h0 = randomFloat64(rng, [B, U], { lo: -0.8, hi: 0.8 });
      const mask = c.mask ? tensor(c.mask, undefined, 'int32') : undefined;
      const fn = (xv: Variable, hv: Variable, ...w: Variable[]): Tensor[] => {
        // Point the cell at the checker's variables so the gradient reaches them.
        const cell = layer.cell;
        cell.kernel = w[0]!;
        cell.recurrentKernel = w[1]!;
        cell.bias = w[2] ?? null;
        return layer.apply(xv, { initialState: [hv], mask }) as Tensor[];
      };
      checkGradients(fn as never, [x, h0, ...weights], { rtol: 1e-6 });
    });
  }
});
