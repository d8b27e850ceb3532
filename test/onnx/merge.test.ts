/**
 * Done when: the merge layers export to ONNX and onnxruntime-node agrees with keras-gru within 1e-5 — alone and
 * in the Keras-made bidirectional encoder–decoder (Concatenate of Bidirectional's states into a decoder's
 * initial state), Dot (every rank pair up to 4, any axes, normalize, unfixed lengths, masked inputs ignored),
 * and the reshaping layers — and what is not translated (masked merges but Dot's) is refused with a typed error
 * naming it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Concatenate } from '../../src/layers/concatenate.js';
import { Dense } from '../../src/layers/dense.js';
import { Dot } from '../../src/layers/dot.js';
import { input } from '../../src/layers/input-layer.js';
import { Masking } from '../../src/layers/masking.js';
import { Activation } from '../../src/layers/activation.js';
import { Flatten, Permute, RepeatVector, Reshape } from '../../src/layers/reshaping.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from '../../src/layers/merge.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { loadModel } from '../../src/keras/load-model.js';
import { Model } from '../../src/models/model.js';
import { exportOnnx } from '../../src/onnx/index.js';
import { UnsupportedMaskError } from '../../src/onnx/errors.js';
import { tensor } from '../../src/tensor/tensor.js';
import { expectError } from '../helpers/errors.js';
import { expectOnnxMatches, maskSteps, randomizeWeights, randomTensor } from './ort.js';

describe('exportOnnx: merge layers', () => {
  it.each([
    ['Add', () => new Add()],
    ['Subtract', () => new Subtract()],
    ['Multiply', () => new Multiply()],
    ['Average', () => new Average()],
    ['Maximum', () => new Maximum()],
    ['Minimum', () => new Minimum()],
    ['Concatenate', () => new Concatenate()],
    ['Concatenate(axis=1)', () => new Concatenate({ axis: 1 })],
  ] as const)('%s after two Dense layers matches onnxruntime', async (_name, make) => {
    const a = input({ shape: [3, 4] });
    const b = input({ shape: [3, 4] });
    const merged = make().apply([new Dense({ units: 2 }).apply(a), new Dense({ units: 2 }).apply(b)]) as SymbolicTensor;
    const model = new Model({ inputs: [a, b], outputs: new Dense({ units: 1 }).apply(merged) });
    randomizeWeights(model, 5);
    await expectOnnxMatches(model, [randomTensor([2, 3, 4], 6), randomTensor([2, 3, 4], 7)], _name);
  });

  it('the Keras-made bidirectional encoder–decoder exports and matches', async () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'user-models');
    const model = await loadModel(join(dir, 'bidirectional_encoder_decoder.keras'));
    const fx = JSON.parse(readFileSync(join(dir, 'bidirectional_encoder_decoder.json'), 'utf8')) as {
      inputs: { shape: number[]; data: number[] }[];
    };
    await expectOnnxMatches(
      model,
      fx.inputs.map((t) => tensor(t.data, t.shape)),
      'encoder-decoder',
    );
  });

  it('Activation, RepeatVector, Flatten, Reshape and Permute in one model match onnxruntime', async () => {
    const x = input({ shape: [3, 4] });
    let h = new Permute({ dims: [2, 1] }).apply(x) as SymbolicTensor;
    h = new Reshape({ targetShape: [-1] }).apply(h) as SymbolicTensor;
    h = new Activation({ activation: 'tanh' }).apply(
      new Dense({ units: 6 }).apply(h) as SymbolicTensor,
    ) as SymbolicTensor;
    h = new Flatten().apply(new RepeatVector({ n: 2 }).apply(h) as SymbolicTensor) as SymbolicTensor;
    const side = new Flatten({ dataFormat: 'channels_first' }).apply(x) as SymbolicTensor;
    const model = new Model({ inputs: x, outputs: [new Dense({ units: 1 }).apply(h) as SymbolicTensor, side] });
    randomizeWeights(model, 8);
    await expectOnnxMatches(model, [randomTensor([2, 3, 4], 9)], 'reshaping layers');
  });

  it.each([
    [[4], [4], 1],
    [[4], [4], -1],
    [[4], [4, 3], 1],
    [[3, 4], [4], [2, 1]],
    [[3, 4], [5, 4], 2],
    [[3, 4], [3, 5], 1],
    [
      [3, 4],
      [4, 5],
      [2, 1],
    ],
    [
      [3, 4],
      [5, 3],
      [1, 2],
    ],
    [
      [2, 3, 4],
      [4, 5],
      [3, 1],
    ],
    [
      [3, 4],
      [2, 4, 5],
      [2, 2],
    ],
    [
      [2, 3, 4],
      [2, 5, 3],
      [2, 3],
    ],
  ] as [number[], number[], number | [number, number]][])(
    'Dot of [B, %o] and [B, %o] along %o, plain and normalized',
    async (xShape, yShape, axes) => {
      for (const normalize of [false, true]) {
        const a = input({ shape: xShape });
        const b = input({ shape: yShape });
        const model = new Model({ inputs: [a, b], outputs: new Dot({ axes, normalize }).apply([a, b]) });
        await expectOnnxMatches(
          model,
          [randomTensor([3, ...xShape], 10), randomTensor([3, ...yShape], 11)],
          `Dot ${JSON.stringify({ xShape, yShape, axes, normalize })}`,
        );
      }
    },
  );

  it('Dot over unfixed lengths (the summed axis too) ignores its inputs masks, as Keras', async () => {
    const q = input({ shape: [null, 3] });
    const v = input({ shape: [null, 3] });
    const scores = new Dot({ axes: 2 }).apply([new Masking().apply(q), v]);
    const pooled = new Dot({ axes: 1 }).apply([q, new Masking().apply(q)]);
    const model = new Model({ inputs: [q, v], outputs: [scores, pooled] });
    for (const [tq, tv] of [
      [4, 6],
      [1, 2],
    ] as const) {
      const x = maskSteps(randomTensor([2, tq, 3], 12 + tq), [[1, tq - 1]]);
      await expectOnnxMatches(model, [x, randomTensor([2, tv, 3], 13)], `Dot unfixed ${tq}x${tv}`);
    }
  });

  it('refuses masked merges, naming the layer', () => {
    const s = input({ shape: [3, 2] });
    const m = new Masking().apply(s) as SymbolicTensor;
    const masked = new Model({ inputs: s, outputs: new Add({ name: 'sum' }).apply([m, m]) });
    expectError(() => exportOnnx(masked), UnsupportedMaskError, "Add 'sum'");
    // Masks given one per input, as Keras writes `mask` for a call on a list.
    const perInput = new Add({ name: 'listed' }).apply([s, s], { mask: [m.mask!, null] });
    expectError(
      () => exportOnnx(new Model({ inputs: s, outputs: perInput })),
      UnsupportedMaskError,
      "Add 'listed'",
      'one mask per input',
    );
    expect(() => exportOnnx(new Model({ inputs: s, outputs: new Add().apply([s, s]) }))).not.toThrow();
  });
});
