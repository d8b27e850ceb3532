/**
 * The three Keras 3.15 fixture models (text classifier, forecaster, tagger), built with keras-gru's layers and
 * Keras's weights, exported to ONNX and run in onnxruntime-node: the ONNX outputs match keras-gru's predictions
 * and Keras's own within 1e-5.
 */
import { describe, expect, it } from 'vitest';
import { Bidirectional } from '../../src/layers/bidirectional.js';
import { Dense } from '../../src/layers/dense.js';
import { Embedding } from '../../src/layers/embedding.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Masking } from '../../src/layers/masking.js';
import { TimeDistributed } from '../../src/layers/time-distributed.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { exportOnnx } from '../../src/onnx/index.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { loadFixture, maxAbsDiff, toTensor, type FixtureTensor } from '../helpers/fixtures.js';
import { maxDeviation, runOnnx } from './ort.js';

interface ModelFixture {
  weights: FixtureTensor[];
  inputs: { x: FixtureTensor };
  outputs: FixtureTensor[];
}

const TOLERANCE = 1e-5;

async function check(
  model: Model,
  fixture: ModelFixture,
  x: Tensor,
  inputName: string,
  outputName: string,
  int64 = false,
): Promise<void> {
  model.setWeights(fixture.weights.map((w) => toTensor(w)));
  const ours = model.predict(x) as Tensor;
  expect(maxAbsDiff(ours, fixture.outputs[0]!)).toBeLessThan(TOLERANCE);
  const bytes = exportOnnx(model, int64 ? { integerInputs: 'int64' } : {});
  const out = await runOnnx(bytes, { [inputName]: x }, int64 ? { [inputName]: 'int64' } : {});
  expect(Object.keys(out)).toEqual([outputName]);
  expect(maxDeviation(out[outputName]!, ours)).toBeLessThan(TOLERANCE);
  expect(maxDeviation(out[outputName]!, toTensor(fixture.outputs[0]!))).toBeLessThan(TOLERANCE);
}

describe('exportOnnx on the Keras fixture models', () => {
  it('text classifier: int32 ids → Embedding(maskZero) → GRU(returnSequences) → GRU → Dense(softmax), right-padded', async () => {
    const fx = loadFixture<ModelFixture>('model-text_classifier');
    for (const int64 of [false, true]) {
      const model = new Sequential([
        input({ shape: [null], dtype: 'int32', name: 'tokens' }),
        new Embedding({ inputDim: 40, outputDim: 8, maskZero: true }),
        new GRU({ units: 16, returnSequences: true }),
        new GRU({ units: 8 }),
        new Dense({ units: 3, activation: 'softmax', name: 'probabilities' }),
      ]);
      await check(model, fx, toTensor(fx.inputs.x, 'int32'), 'tokens', 'probabilities', int64);
    }
  });

  it('forecaster: GRU(goBackwards, hard_sigmoid, resetAfter false) → Dense', async () => {
    const fx = loadFixture<ModelFixture>('model-forecaster');
    const model = new Sequential([
      input({ shape: [20, 3], name: 'window' }),
      new GRU({ units: 12, goBackwards: true, recurrentActivation: 'hard_sigmoid', resetAfter: false }),
      new Dense({ units: 1, name: 'forecast' }),
    ]);
    await check(model, fx, toTensor(fx.inputs.x), 'window', 'forecast');
  });

  it('tagger: Masking → Bidirectional(GRU, concat) → TimeDistributed(Dense), functional', async () => {
    const fx = loadFixture<ModelFixture>('model-tagger');
    const x = input({ shape: [null, 4], name: 'frames' });
    const masked = new Masking().apply(x);
    const both = new Bidirectional({ layer: new GRU({ units: 6, returnSequences: true }) }).apply(masked);
    const tags = new TimeDistributed({ layer: new Dense({ units: 2 }), name: 'tags' }).apply(both);
    const model = new Model({ inputs: x, outputs: tags });
    // The fixture's rows are padded at the end; a row padded in front and one with a hole are exact too.
    const data = toTensor(fx.inputs.x);
    await check(model, fx, data, 'frames', 'tags');
    const values = Float32Array.from(data.dataSync());
    const [B, T, F] = data.shape as [number, number, number];
    for (let f = 0; f < F; f++) {
      values[(0 * T + 0) * F + f] = 0; // row 0: a masked first step
      values[(1 * T + 4) * F + f] = 0; // row 1: a hole
    }
    const edited = tensor(values, [B, T, F]);
    const ours = model.predict(edited) as Tensor;
    const out = await runOnnx(exportOnnx(model), { frames: edited });
    expect(maxDeviation(out.tags!, ours)).toBeLessThan(TOLERANCE);
  });
});
