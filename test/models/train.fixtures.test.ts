/**
 * Training against real Keras (test/fixtures/keras-golden/train-*.json, Keras 3.15.1 on TensorFlow 2.21):
 * Sequential([input, GRU.fromConfig(gru_config), Dense(1)]) with Keras's initial weights, compiled with the
 * fixture's optimizer JSON and mse, then one trainOnBatch per step. Every returned loss must be within 1e-4
 * (relative) of Keras's, and the final weights within 1e-4.
 */
import { describe, expect, it } from 'vitest';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { fixtureNames, loadFixture, maxAbsDiff, toTensor, type FixtureTensor } from '../helpers/fixtures.js';

interface TrainFixture {
  name: string;
  description: string;
  optimizer: Record<string, unknown>;
  gru_config: Record<string, unknown>;
  initial_weights: FixtureTensor[];
  inputs: { x: FixtureTensor; y: FixtureTensor };
  losses: number[];
  final_weights: FixtureTensor[];
}

const names = fixtureNames('train-');

describe('training matches Keras', () => {
  it('has train fixtures', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  for (const name of names) {
    it(`${name}: losses and final weights`, () => {
      const fixture = loadFixture<TrainFixture>(name);
      const x = toTensor(fixture.inputs.x);
      const y = toTensor(fixture.inputs.y);
      const [, S, I] = x.shape as [number, number, number];
      const model = new Sequential([
        input({ shape: [S, I] }),
        GRU.fromConfig(fixture.gru_config),
        new Dense({ units: 1 }),
      ]);
      model.setWeights(fixture.initial_weights.map((w) => toTensor(w)));
      model.compile({ optimizer: fixture.optimizer, loss: 'mse' });
      fixture.losses.forEach((expected, step) => {
        const loss = model.trainOnBatch(x, y);
        const rel = Math.abs(loss - expected) / Math.max(Math.abs(expected), 1e-12);
        expect(rel, `${name} step ${step}: loss ${loss} vs Keras ${expected}`).toBeLessThan(1e-4);
      });
      model.getWeights().forEach((w, i) => {
        expect(maxAbsDiff(w, fixture.final_weights[i]!), `${name} final weight ${i}`).toBeLessThan(1e-4);
      });
    });
  }
});
