/**
 * The three whole models saved by Keras 3.15.1 (test/fixtures/keras-golden/model-*.json), built by hand —
 * text_classifier and forecaster as Sequential, the tagger as a functional graph — with the fixture's weights
 * (Keras order) reproduce Keras's `model.predict` within 1e-5, and every layer's config equals Keras's key for key.
 */
import { describe, expect, it } from 'vitest';
import { Bidirectional } from '../../src/layers/bidirectional.js';
import { Dense } from '../../src/layers/dense.js';
import { Embedding } from '../../src/layers/embedding.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import type { Layer } from '../../src/layers/layer.js';
import { Masking } from '../../src/layers/masking.js';
import { TimeDistributed } from '../../src/layers/time-distributed.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { loadFixture, maxAbsDiff, toTensor, type FixtureTensor } from '../helpers/fixtures.js';
import { stripShared } from '../helpers/layer-configs.js';

interface ModelFixture {
  config: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  weights: FixtureTensor[];
  inputs: { x: FixtureTensor };
  outputs: FixtureTensor[];
}

/** Keras's layer configs in the model, by layer name (operations such as NotEqual and the InputLayer left out). */
function kerasConfigs(fx: ModelFixture): Map<string, unknown> {
  const layers = fx.config.config.layers.filter(
    (l) => l.class_name !== 'InputLayer' && typeof l.config.trainable === 'boolean',
  );
  return new Map(layers.map((l) => [l.config.name as string, stripShared(l.config)]));
}

function expectConfigs(layers: readonly Layer[], fx: ModelFixture): void {
  const keras = kerasConfigs(fx);
  expect(layers.map((l) => l.name)).toEqual([...keras.keys()]);
  for (const layer of layers) {
    const config = layer.getConfig();
    expect(config).toEqual(keras.get(layer.name));
    expect(Object.keys(config)).toEqual(Object.keys(keras.get(layer.name) as object));
  }
}

describe('Keras 3.15 models built by hand reproduce model.predict', () => {
  it('text_classifier: Embedding(maskZero) → GRU(sequences) → GRU → Dense(softmax)', () => {
    const fx = loadFixture<ModelFixture>('model-text_classifier');
    const model = new Sequential([
      input({ shape: [null], dtype: 'int32' }),
      new Embedding({ inputDim: 40, outputDim: 8, maskZero: true, name: 'embedding' }),
      new GRU({ units: 16, returnSequences: true, name: 'gru_27' }),
      new GRU({ units: 8, name: 'gru_28' }),
      new Dense({ units: 3, activation: 'softmax', name: 'dense_5' }),
    ]);
    model.setWeights(fx.weights.map((w) => toTensor(w)));
    const y = model.predict(toTensor(fx.inputs.x, 'int32')) as Tensor;
    expect(maxAbsDiff(y, fx.outputs[0]!)).toBeLessThan(1e-5);
    expectConfigs(model.layers, fx);
  });

  it('forecaster: GRU(resetAfter false, hard_sigmoid, goBackwards) → Dense', () => {
    const fx = loadFixture<ModelFixture>('model-forecaster');
    const model = new Sequential([
      input({ shape: [20, 3] }),
      new GRU({ units: 12, goBackwards: true, recurrentActivation: 'hard_sigmoid', resetAfter: false, name: 'gru_29' }),
      new Dense({ units: 1, name: 'dense_6' }),
    ]);
    model.setWeights(fx.weights.map((w) => toTensor(w)));
    const y = model.predict(toTensor(fx.inputs.x)) as Tensor;
    expect(maxAbsDiff(y, fx.outputs[0]!)).toBeLessThan(1e-5);
    expectConfigs(model.layers, fx);
  });

  it('tagger (functional): Masking → Bidirectional(GRU, sequences) → TimeDistributed(Dense)', () => {
    const fx = loadFixture<ModelFixture>('model-tagger');
    const x = input({ shape: [null, 4] });
    const masked = new Masking({ name: 'masking' }).apply(x);
    const both = new Bidirectional({
      layer: new GRU({ units: 6, returnSequences: true, name: 'gru_30' }),
      name: 'bidirectional',
    }).apply(masked);
    const y = new TimeDistributed({ layer: new Dense({ units: 2, name: 'dense_7' }), name: 'time_distributed' }).apply(
      both as typeof masked,
    );
    const model = new Model({ inputs: x, outputs: y });
    model.setWeights(fx.weights.map((w) => toTensor(w)));
    const out = model.predict(toTensor(fx.inputs.x)) as Tensor;
    expect(maxAbsDiff(out, fx.outputs[0]!)).toBeLessThan(1e-5);
    expectConfigs(
      model.layers.filter((l) => l.className !== 'InputLayer'),
      fx,
    );
  });
});
