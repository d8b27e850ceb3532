/**
 * Done when: one functional model holding every layer class added around the GRU (issue 14) — Conv1D, both
 * normalizations, the noise layers, Attention (causal, with its scores as a second output) and
 * AdditiveAttention, the 1-D and global poolings, every merge layer, RepeatVector, Flatten, Reshape, Permute
 * and Activation — with seeded random weights (BatchNormalization's moving statistics too), saved by keras-gru
 * as a legacy `.h5` and as a `.keras` file, loads back with the same config and bit-identical predictions.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/keras/load-model.js';
import { modelToLegacyH5 } from '../../src/keras/model-exports.js';
import { serializeModel } from '../../src/keras/model-config.js';
import { Activation } from '../../src/layers/activation.js';
import { AdditiveAttention, Attention } from '../../src/layers/attention.js';
import { Concatenate } from '../../src/layers/concatenate.js';
import { Conv1D } from '../../src/layers/convolution.js';
import { Dense } from '../../src/layers/dense.js';
import { Dot } from '../../src/layers/dot.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from '../../src/layers/merge.js';
import { GaussianDropout, GaussianNoise, SpatialDropout1D } from '../../src/layers/noise.js';
import { BatchNormalization, LayerNormalization } from '../../src/layers/normalization.js';
import {
  AveragePooling1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  MaxPooling1D,
} from '../../src/layers/pooling.js';
import { Flatten, Permute, RepeatVector, Reshape } from '../../src/layers/reshaping.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Model } from '../../src/models/model.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';

function everyLayerModel(): Model {
  const seq = input({ shape: [8, 4], name: 'seq' });
  let x: SymbolicTensor = new Conv1D({ filters: 6, kernelSize: 3, padding: 'same' }).apply(seq);
  x = new LayerNormalization().apply(x);
  x = new BatchNormalization().apply(x);
  x = new GaussianNoise({ stddev: 0.1 }).apply(x);
  x = new GaussianDropout({ rate: 0.1 }).apply(x);
  x = new SpatialDropout1D({ rate: 0.1 }).apply(x);
  const encoded = new GRU({ units: 6, returnSequences: true }).apply(x) as SymbolicTensor;
  const [attended, scores] = new Attention({ useScale: true }).apply([encoded, x], {
    useCausalMask: true,
    returnAttentionScores: true,
  });
  const additive = new AdditiveAttention().apply([encoded, x]);
  const a = new MaxPooling1D().apply(attended);
  const b = new AveragePooling1D().apply(additive);
  const merged = [new Add(), new Subtract(), new Multiply(), new Average(), new Maximum(), new Minimum()].map((m) =>
    m.apply([a, b]),
  );
  const joined = new Concatenate().apply(merged); // [4, 36]
  const reshaped = new Reshape({ targetShape: [4, 36] }).apply(new Permute({ dims: [2, 1] }).apply(joined));
  const mean = new GlobalAveragePooling1D().apply(joined);
  const max = new GlobalMaxPooling1D().apply(joined);
  const features = new Concatenate().apply([
    new Flatten().apply(reshaped),
    new Flatten().apply(new RepeatVector({ n: 3 }).apply(mean)),
    new Dot({ axes: 1 }).apply([mean, max]),
  ]);
  const head = new Dense({ units: 2 }).apply(new Activation({ activation: 'tanh' }).apply(features));
  return new Model({ inputs: seq, outputs: [head, scores], name: 'every_layer' });
}

/** Seeded weights in [0.5, 1.5): non-symmetric, and positive where they must be (moving variances). */
function randomizeWeights(model: Model, seed: number): void {
  const rng = new Random(seed);
  model.setWeights(
    model.getWeights().map((w) =>
      tensor(
        Array.from({ length: w.size }, () => 0.5 + rng.uniform()),
        [...w.shape],
      ),
    ),
  );
}

const values = (outputs: Tensor | Tensor[]): number[][] =>
  (Array.isArray(outputs) ? outputs : [outputs]).map((t) => Array.from(t.dataSync()));

describe('a model of every issue-14 layer, saved by keras-gru', () => {
  const x = (): Tensor => {
    const rng = new Random(41);
    return tensor(
      Array.from({ length: 3 * 8 * 4 }, () => rng.normal()),
      [3, 8, 4],
    );
  };

  it.each([
    ['legacy .h5', modelToLegacyH5],
    ['.keras', (model: Model) => model.toBytes()],
  ] as const)('%s: loads back with the same config and the same predictions', async (_format, save) => {
    const model = everyLayerModel();
    randomizeWeights(model, 40);
    const again = await loadModel(await save(model));
    expect(serializeModel(again).config).toEqual(serializeModel(model).config);
    expect(again.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      model.getWeights().map((w) => Array.from(w.dataSync())),
    );
    const before = values(model.predict(x()) as Tensor[]);
    expect(values(again.predict(x()) as Tensor[])).toEqual(before);
    // The causal mask survived: step 0 attends to step 0 only.
    expect(before[1]!.slice(0, 8)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });
});
