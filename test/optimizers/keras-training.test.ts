/**
 * The optimizers inside real training: each train-* fixture (Keras 3.15.1 on TensorFlow 2.21, float32) is a
 * GRU → Dense(1) model trained with `train_on_batch` and a serialized Keras optimizer (SGD with momentum, Adam,
 * RMSprop). We rebuild the optimizer from that JSON and replay the steps: the per-step losses and the final
 * weights must match Keras to float32 precision (the fixtures' README expects ~1e-6).
 */
import { describe, expect, it } from 'vitest';
import { optimizerFromKeras, optimizerToKeras } from '../../src/optimizers/optimizer-config.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { fixtureNames, loadFixture, maxAbsDiff, toTensor, type FixtureTensor } from '../helpers/fixtures.js';

interface TrainFixture {
  optimizer: Record<string, unknown>;
  gru_config: Record<string, unknown>;
  initial_weights: FixtureTensor[];
  inputs: { x: FixtureTensor; y: FixtureTensor };
  losses: number[];
  final_weights: FixtureTensor[];
}

describe.each(fixtureNames('train-'))('Keras training fixture %s', (name) => {
  const fx = loadFixture<TrainFixture>(name);

  it('replays the optimizer steps: same losses, same final weights', () => {
    const x = toTensor(fx.inputs.x);
    const y = toTensor(fx.inputs.y);
    const model = new Sequential([
      input({ shape: x.shape.slice(1) }),
      GRU.fromConfig(fx.gru_config),
      new Dense({ units: 1 }),
    ]);
    model.setWeights(fx.initial_weights.map((w) => toTensor(w)));
    const optimizer = optimizerFromKeras(fx.optimizer);
    expect(optimizerToKeras(optimizer)).toEqual(fx.optimizer);
    model.compile({ optimizer, loss: 'mse' });
    const losses = fx.losses.map(() => model.trainOnBatch(x, y));
    losses.forEach((loss, i) =>
      expect(Math.abs(loss - fx.losses[i]!)).toBeLessThan(5e-6 * Math.max(1, Math.abs(fx.losses[i]!))),
    );
    expect(optimizer.iterations).toBe(fx.losses.length);
    model.getWeights().forEach((w, i) => expect(maxAbsDiff(w, fx.final_weights[i]!)).toBeLessThan(2e-6));
  });
});
