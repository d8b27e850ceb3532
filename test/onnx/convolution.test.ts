/**
 * Done when: Conv1D (padding valid/same/causal, strides not dividing the length, dilation, groups, no bias,
 * activations including softmax over the filters, channels_first), MaxPooling1D and AveragePooling1D (same
 * padding not counted in the average, channels_first), GlobalAveragePooling1D (masked: the average of the
 * kept steps) and GlobalMaxPooling1D (keepdims, channels_first) run in onnxruntime-node within 1e-5 of
 * keras-gru's predict, for sequence lengths the model does not fix.
 */
import { afterAll, describe, it } from 'vitest';
import { Conv1D, type Conv1DArgs } from '../../src/layers/convolution.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import type { Layer } from '../../src/layers/layer.js';
import { Masking } from '../../src/layers/masking.js';
import {
  AveragePooling1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  MaxPooling1D,
  type GlobalPooling1DArgs,
  type Pooling1DArgs,
} from '../../src/layers/pooling.js';
import { Sequential } from '../../src/models/sequential.js';
import { expectOnnxMatches, maskSteps, randomizeWeights, randomTensor } from './ort.js';

const worstByLayer: Record<string, number> = {};
afterAll(() => console.info('worst |Δ| vs keras-gru:', JSON.stringify(worstByLayer)));

/** Runs `layer` after an input of `channels` features ([B, T, C], or [B, C, T] channels_first) on several T. */
async function check(
  layer: Layer,
  channels: number,
  channelsFirst: boolean,
  label: string,
  seed: number,
): Promise<void> {
  const model = new Sequential([input({ shape: channelsFirst ? [channels, null] : [null, channels] }), layer]);
  randomizeWeights(model, seed);
  for (const steps of [1, 7, 10, 11]) {
    const shape = channelsFirst ? [2, channels, steps] : [2, steps, channels];
    // Valid windows longer than the sequence leave no output: skip those lengths.
    const out = layer.computeOutputShape([null, ...shape.slice(1)]);
    if ((out as number[]).some((d) => d === 0)) continue;
    const deviation = await expectOnnxMatches(model, [randomTensor(shape, seed + steps)], `${label} T=${steps}`);
    worstByLayer[layer.className] = Math.max(worstByLayer[layer.className] ?? 0, deviation);
  }
}

describe('exportOnnx: Conv1D', () => {
  it.each([
    { filters: 3, kernelSize: 3 },
    { filters: 3, kernelSize: 3, padding: 'same' },
    { filters: 2, kernelSize: 4, padding: 'same', strides: 3 },
    { filters: 2, kernelSize: 2, padding: 'same', strides: 2 },
    { filters: 2, kernelSize: 3, padding: 'causal' },
    { filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2 },
    { filters: 3, kernelSize: 2, padding: 'same', dilationRate: 3 },
    { filters: 2, kernelSize: 3, strides: 2 },
    { filters: 4, kernelSize: 2, groups: 2, padding: 'same' },
    { filters: 3, kernelSize: 1, useBias: false, activation: 'tanh' },
    { filters: 3, kernelSize: 2, activation: 'softmax', padding: 'causal' },
  ] as Conv1DArgs[])('%o', async (args) => {
    await check(new Conv1D(args), 4, false, JSON.stringify(args), 60);
  });

  it.each([
    { filters: 3, kernelSize: 3, padding: 'same', strides: 2, dataFormat: 'channels_first' },
    { filters: 4, kernelSize: 2, groups: 2, activation: 'softmax', dataFormat: 'channels_first' },
  ] as Conv1DArgs[])('channels_first %o', async (args) => {
    await check(new Conv1D(args), 4, true, JSON.stringify(args), 70);
  });
});

describe('exportOnnx: MaxPooling1D and AveragePooling1D', () => {
  const cases: Pooling1DArgs[] = [
    {},
    { poolSize: 3 },
    { poolSize: 3, strides: 2 },
    { poolSize: 3, padding: 'same' },
    { poolSize: 4, strides: 3, padding: 'same' },
    { poolSize: 2, strides: 1, padding: 'same' },
    { poolSize: 3, strides: 2, dataFormat: 'channels_first' },
    { poolSize: 4, strides: 3, padding: 'same', dataFormat: 'channels_first' },
  ];
  it.each(cases)('MaxPooling1D %o', async (args) => {
    await check(new MaxPooling1D(args), 3, args.dataFormat === 'channels_first', JSON.stringify(args), 80);
  });
  it.each(cases)('AveragePooling1D %o', async (args) => {
    await check(new AveragePooling1D(args), 3, args.dataFormat === 'channels_first', JSON.stringify(args), 90);
  });
});

describe('exportOnnx: GlobalAveragePooling1D and GlobalMaxPooling1D', () => {
  const cases: GlobalPooling1DArgs[] = [
    {},
    { keepdims: true },
    { dataFormat: 'channels_first' },
    { dataFormat: 'channels_first', keepdims: true },
  ];
  it.each(cases)('GlobalAveragePooling1D %o', async (args) => {
    await check(new GlobalAveragePooling1D(args), 3, args.dataFormat === 'channels_first', JSON.stringify(args), 100);
  });
  it.each(cases)('GlobalMaxPooling1D %o', async (args) => {
    await check(new GlobalMaxPooling1D(args), 3, args.dataFormat === 'channels_first', JSON.stringify(args), 110);
  });

  it.each([{}, { keepdims: true }] as GlobalPooling1DArgs[])(
    'a masked input: GlobalAveragePooling1D averages the kept steps, GlobalMaxPooling1D ignores the mask (%o)',
    async (args) => {
      // Right-padded, left-padded, a hole; no row fully masked (Keras divides by 0 there).
      const x = maskSteps(randomTensor([3, 6, 3], 120), [
        [0, 4],
        [0, 5],
        [1, 0],
        [2, 2],
      ]);
      for (const pool of [new GlobalAveragePooling1D(args), new GlobalMaxPooling1D(args)]) {
        const model = new Sequential([
          input({ shape: [null, 3] }),
          new Masking(),
          new GRU({ units: 3, returnSequences: true }),
          pool,
        ]);
        randomizeWeights(model, 121);
        const deviation = await expectOnnxMatches(model, [x], `${pool.className} masked ${JSON.stringify(args)}`);
        worstByLayer[`${pool.className} masked`] = Math.max(worstByLayer[`${pool.className} masked`] ?? 0, deviation);
      }
    },
  );

  it('Conv1D and MaxPooling1D stop a mask: the GRU after them runs over every step, as in keras-gru', async () => {
    const model = new Sequential([
      input({ shape: [null, 3] }),
      new Masking(),
      new Conv1D({ filters: 4, kernelSize: 3, padding: 'same' }),
      new MaxPooling1D({ padding: 'same' }),
      new GRU({ units: 2 }),
    ]);
    randomizeWeights(model, 130);
    const x = maskSteps(randomTensor([2, 7, 3], 131), [
      [0, 5],
      [0, 6],
    ]);
    const deviation = await expectOnnxMatches(model, [x], 'masked conv');
    worstByLayer.Conv1D = Math.max(worstByLayer.Conv1D ?? 0, deviation);
  });
});
