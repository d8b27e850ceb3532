/**
 * Single GRU layers exported to ONNX and run in onnxruntime-node against keras-gru: both resetAfter modes,
 * goBackwards, returnSequences, returnState, the ONNX GRU activations (Keras 3's and Keras 2's hard_sigmoid),
 * useBias false, initial states, the smallest shapes (batch 1, one step, one unit), and masks anywhere in a row.
 * Weights are seeded random (biases included), so a transposed block or a swapped gate would show.
 */
import { describe, it } from 'vitest';
import { hardSigmoidKeras2 } from '../../src/activations/index.js';
import { GRU, type GRUArgs } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Masking } from '../../src/layers/masking.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { expectOnnxMatches, maskSteps, randomizeWeights, randomTensor } from './ort.js';

/** input [T,I] → GRU(args), with seeded weights. */
function gruModel(args: GRUArgs, steps: number | null, features: number, seed: number): Sequential {
  const model = new Sequential([input({ shape: [steps, features] }), new GRU(args)]);
  randomizeWeights(model, seed);
  return model;
}

describe('exportOnnx: one GRU layer', () => {
  it('resetAfter × goBackwards × returnSequences', async () => {
    let seed = 1;
    for (const resetAfter of [true, false]) {
      for (const goBackwards of [false, true]) {
        for (const returnSequences of [false, true]) {
          const model = gruModel({ units: 5, resetAfter, goBackwards, returnSequences }, null, 4, seed++);
          await expectOnnxMatches(
            model,
            [randomTensor([3, 7, 4], seed)],
            `resetAfter ${resetAfter} goBackwards ${goBackwards} returnSequences ${returnSequences}`,
          );
        }
      }
    }
  });

  it('the activations the ONNX GRU operator has', async () => {
    const pairs: [GRUArgs['recurrentActivation'], GRUArgs['activation']][] = [
      ['hard_sigmoid', 'tanh'],
      [hardSigmoidKeras2, 'tanh'],
      ['sigmoid', 'relu'],
      ['sigmoid', null],
      ['sigmoid', 'leaky_relu'],
      ['softsign', 'elu'],
      ['sigmoid', 'softplus'],
      ['tanh', 'sigmoid'],
    ];
    let seed = 20;
    for (const [recurrentActivation, activation] of pairs) {
      for (const resetAfter of [true, false]) {
        const model = gruModel({ units: 4, recurrentActivation, activation, resetAfter }, 6, 3, seed++);
        await expectOnnxMatches(
          model,
          [randomTensor([2, 6, 3], seed)],
          `${String(recurrentActivation)}/${String(activation)}`,
        );
      }
    }
  });

  it('useBias false, batch 1, one time step, one unit', async () => {
    for (const resetAfter of [true, false]) {
      await expectOnnxMatches(
        gruModel({ units: 3, useBias: false, resetAfter, returnSequences: true }, null, 2, 40),
        [randomTensor([2, 5, 2], 41)],
        'useBias false',
      );
      await expectOnnxMatches(
        gruModel({ units: 3, resetAfter }, null, 2, 42),
        [randomTensor([1, 5, 2], 43)],
        'batch 1',
      );
      await expectOnnxMatches(
        gruModel({ units: 3, resetAfter, goBackwards: true, returnSequences: true }, null, 2, 44),
        [randomTensor([4, 1, 2], 45)],
        'one step',
      );
      await expectOnnxMatches(
        gruModel({ units: 1, resetAfter, returnSequences: true }, null, 1, 46),
        [randomTensor([3, 4, 1], 47)],
        'one unit',
      );
      await expectOnnxMatches(gruModel({ units: 1, resetAfter }, 1, 1, 48), [randomTensor([1, 1, 1], 49)], 'all ones');
    }
  });

  it('a fixed number of steps, and any number when the model does not fix it', async () => {
    const fixed = gruModel({ units: 3 }, 6, 2, 50);
    await expectOnnxMatches(fixed, [randomTensor([2, 6, 2], 51)], 'fixed T');
    // Built from data (no input()): the graph takes any batch and any T.
    const fromData = new Sequential([new GRU({ units: 3, returnSequences: true })]);
    fromData.predict(randomTensor([2, 4, 2], 52));
    randomizeWeights(fromData, 53);
    await expectOnnxMatches(fromData, [randomTensor([3, 9, 2], 54)], 'built from data');
  });

  it('returnState, and an initial state fed as a model input', async () => {
    for (const goBackwards of [false, true]) {
      for (const returnSequences of [false, true]) {
        const x = input({ shape: [null, 3] });
        const h0 = input({ shape: [4] });
        const gru = new GRU({ units: 4, returnState: true, returnSequences, goBackwards });
        const [out, state] = gru.apply(x, { initialState: h0 }) as SymbolicTensor[];
        const model = new Model({ inputs: [x, h0], outputs: [out!, state!] });
        randomizeWeights(model, 60);
        await expectOnnxMatches(
          model,
          [randomTensor([2, 5, 3], 61), randomTensor([2, 4], 62)],
          `initial state, goBackwards ${goBackwards}`,
        );
      }
    }
  });
});

describe('exportOnnx: masks (Masking → GRU), wherever the padding is', () => {
  // rows of x [4,6,3]: right-padded, left-padded, with holes, fully masked
  const MASKED: [number, number][] = [
    [0, 4],
    [0, 5],
    [1, 0],
    [1, 1],
    [1, 2],
    [2, 1],
    [2, 3],
    [2, 5],
    [3, 0],
    [3, 1],
    [3, 2],
    [3, 3],
    [3, 4],
    [3, 5],
  ];

  function maskedModel(args: GRUArgs, seed: number, withState = false): Model {
    const x = input({ shape: [null, 3] });
    const masked = new Masking().apply(x);
    const h0 = input({ shape: [args.units] });
    const gru = new GRU({ ...args, returnState: true });
    const [out, state] = gru.apply(masked, withState ? { initialState: h0 } : {}) as SymbolicTensor[];
    const model = new Model({ inputs: withState ? [x, h0] : [x], outputs: [out!, state!] });
    randomizeWeights(model, seed);
    return model;
  }

  it('goBackwards × returnSequences × zeroOutputForMask × resetAfter, last output and state', async () => {
    const x = maskSteps(randomTensor([4, 6, 3], 70), MASKED);
    let seed = 71;
    for (const goBackwards of [false, true]) {
      for (const returnSequences of [false, true]) {
        for (const zeroOutputForMask of [false, true]) {
          for (const resetAfter of [true, false]) {
            const model = maskedModel(
              { units: 3, goBackwards, returnSequences, zeroOutputForMask, resetAfter },
              seed++,
            );
            await expectOnnxMatches(
              model,
              [x],
              `mask goBackwards ${goBackwards} returnSequences ${returnSequences} zeroOutputForMask ${zeroOutputForMask}`,
            );
          }
        }
      }
    }
  });

  it('with an initial state (a fully masked row keeps it)', async () => {
    const x = maskSteps(randomTensor([4, 6, 3], 90), MASKED);
    for (const goBackwards of [false, true]) {
      for (const zeroOutputForMask of [false, true]) {
        const model = maskedModel({ units: 3, goBackwards, returnSequences: true, zeroOutputForMask }, 91, true);
        await expectOnnxMatches(
          model,
          [x, randomTensor([4, 3], 92)],
          `mask + initial state goBackwards ${goBackwards}`,
        );
      }
    }
  });

  it('batch 1 and one step, masked or not', async () => {
    for (const returnSequences of [false, true]) {
      const model = maskedModel({ units: 2, returnSequences, goBackwards: true }, 93);
      await expectOnnxMatches(model, [maskSteps(randomTensor([1, 1, 3], 94), [[0, 0]])], 'one masked step');
      await expectOnnxMatches(model, [randomTensor([1, 1, 3], 95)], 'one kept step');
    }
  });
});
