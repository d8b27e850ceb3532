/**
 * Done when: the merge layers export to ONNX and onnxruntime-node agrees with keras-gru within 1e-5 — alone and
 * in the Keras-made bidirectional encoder–decoder (Concatenate of Bidirectional's states into a decoder's
 * initial state), and the reshaping layers — and what is not translated (Dot, masked merges) is refused with a typed error naming it.
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
import { UnsupportedLayerError, UnsupportedMaskError } from '../../src/onnx/errors.js';
import { tensor } from '../../src/tensor/tensor.js';
import { expectError } from '../helpers/errors.js';
import { expectOnnxMatches, randomizeWeights, randomTensor } from './ort.js';

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

  it('refuses Dot and masked merges, naming the layer', () => {
    const a = input({ shape: [4] });
    const dot = new Model({ inputs: a, outputs: new Dot({ axes: 1, name: 'scores' }).apply([a, a]) });
    expectError(() => exportOnnx(dot), UnsupportedLayerError, "Dot 'scores'");
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
