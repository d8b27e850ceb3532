/**
 * Done when (issue 10, item 3): training resumes from a saved file. `fit(N)`, save (`.keras` or legacy `.h5`),
 * `loadModel`, `fit(M)` gives bit for bit the weights and losses of `fit(N + M)` without stopping — for Adam,
 * RMSprop (momentum, centered), SGD with momentum and a learning-rate schedule (which reads the restored
 * iteration count). And against real Keras: Keras's training fixtures (one `train_on_batch` per step, Keras 3.15.1)
 * split by a save and a load halfway still give Keras's losses and final weights within 1e-4 (relative), the
 * tolerance train.fixtures.test.ts holds the unbroken run to.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/keras/load-model.js';
import { modelToLegacyH5 } from '../../src/keras/model-exports.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import type { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { Adam } from '../../src/optimizers/adam.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
import { ExponentialDecay } from '../../src/optimizers/schedules.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { fixtureNames, loadFixture, maxAbsDiff, toTensor, type FixtureTensor } from '../helpers/fixtures.js';

function randomTensor(seed: number, shape: number[]): Tensor {
  const rng = new Random(seed);
  return tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform() * 2 - 1),
    shape,
  );
}

const OPTIMIZERS: [string, () => Optimizer][] = [
  ['adam', () => new Adam({ learningRate: 0.01 })],
  ['adam amsgrad', () => new Adam({ learningRate: 0.01, amsgrad: true })],
  ['rmsprop momentum centered', () => new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  ['rmsprop', () => new RMSprop({ learningRate: 0.01 })],
  ['sgd momentum nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  [
    'sgd momentum, ExponentialDecay',
    () =>
      new SGD({
        learningRate: new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5 }),
        momentum: 0.9,
      }),
  ],
];

const x = randomTensor(1, [10, 6, 3]);
const y = randomTensor(2, [10, 2]);
// Three batches an epoch (4, 4, 2), in order: shuffling draws from the process's generator, which a loaded
// model does not share with the one that was saved.
const FIT = { batchSize: 4, shuffle: false, verbose: 0 } as const;

function compiledModel(optimizer: Optimizer, { frozenFirstLayer = false } = {}): Sequential {
  const model = new Sequential([
    input({ shape: [6, 3] }),
    new GRU({ units: 5, returnSequences: true, trainable: !frozenFirstLayer }),
    new GRU({ units: 4, resetAfter: false }),
    new Dense({ units: 2 }),
  ]);
  model.compile({ optimizer, loss: 'mse', metrics: ['mae'] });
  return model;
}

const weightsOf = (model: Model): number[][] => model.getWeights().map((w) => Array.from(w.dataSync()));
const stateOf = (model: Model): number[][] => model.optimizer!.getWeights().map((w) => Array.from(w.dataSync()));

const FORMATS: [string, (model: Model) => Promise<Uint8Array>][] = [
  ['.keras', (model) => model.toBytes()],
  ['legacy .h5', modelToLegacyH5],
];

describe('fit(N), save, load, fit(M) is fit(N + M) bit for bit', () => {
  for (const [format, save] of FORMATS) {
    it.each(OPTIMIZERS)(`${format}: %s`, async (_, makeOptimizer) => {
      // Two identical starting points: one model saved before any step, loaded twice.
      const start = await save(compiledModel(makeOptimizer()));
      const straight = await loadModel(start);
      const stopped = await loadModel(start);
      expect(weightsOf(stopped)).toEqual(weightsOf(straight));

      const whole = await straight.fit(x, y, { ...FIT, epochs: 5 });
      await stopped.fit(x, y, { ...FIT, epochs: 2 });
      const resumed = await loadModel(await save(stopped));
      expect(resumed.optimizer!.iterations).toBe(6);
      expect(stateOf(resumed)).toEqual(stateOf(stopped));
      const rest = await resumed.fit(x, y, { ...FIT, epochs: 3 });

      expect(resumed.optimizer!.iterations).toBe(15);
      expect(rest.history.loss).toEqual(whole.history.loss!.slice(2));
      expect(rest.history.mae).toEqual(whole.history.mae!.slice(2));
      expect(weightsOf(resumed)).toEqual(weightsOf(straight));
      expect(stateOf(resumed)).toEqual(stateOf(straight));
    });
  }

  it.each(FORMATS)(
    '%s: Adam with EMA and gradient accumulation resumes as the unsaved model continues',
    async (_, save) => {
      // With useEma, every fit ends by writing the averages into the weights (Keras's finalize_variable_values),
      // so fit(2) then fit(3) is not fit(5), in Keras either: the unbroken reference is the saved model itself,
      // continued without a save.
      const optimizer = new Adam({
        learningRate: 0.01,
        useEma: true,
        emaOverwriteFrequency: 4,
        gradientAccumulationSteps: 2,
      });
      const stopped = await loadModel(await save(compiledModel(optimizer)));
      await stopped.fit(x, y, { ...FIT, epochs: 2 });
      const resumed = await loadModel(await save(stopped));
      expect(resumed.optimizer!.getConfig()).toMatchObject({ useEma: true, gradientAccumulationSteps: 2 });
      expect(stateOf(resumed)).toEqual(stateOf(stopped));
      const [a, b] = [await stopped.fit(x, y, { ...FIT, epochs: 3 }), await resumed.fit(x, y, { ...FIT, epochs: 3 })];
      expect(b.history.loss).toEqual(a.history.loss);
      expect(weightsOf(resumed)).toEqual(weightsOf(stopped));
      expect(stateOf(resumed)).toEqual(stateOf(stopped));
    },
  );

  it('a frozen layer: the optimizer holds slots for the trainable variables only, as Keras builds it', async () => {
    const start = await compiledModel(new Adam({ learningRate: 0.01 }), { frozenFirstLayer: true }).toBytes();
    const straight = await loadModel(start);
    const stopped = await loadModel(start);
    await straight.fit(x, y, { ...FIT, epochs: 3 });
    await stopped.fit(x, y, { ...FIT, epochs: 1 });
    const resumed = await loadModel(await stopped.toBytes());
    // iteration, learning_rate, m and v of the second GRU's 3 and the Dense's 2 variables.
    expect(resumed.optimizer!.getWeights().length).toBe(2 + 2 * 5);
    await resumed.fit(x, y, { ...FIT, epochs: 2 });
    expect(weightsOf(resumed)).toEqual(weightsOf(straight));
  });

  it('a layer frozen after training began: saved without its slots, loads, and goes on as the unsaved model', async () => {
    const model = compiledModel(new Adam({ learningRate: 0.01 }));
    await model.fit(x, y, { ...FIT, epochs: 1 });
    model.layers[0]!.trainable = false;
    const resumed = await loadModel(await model.toBytes());
    expect(resumed.layers[0]!.trainable).toBe(false);
    expect(resumed.optimizer!.getWeights().length).toBe(2 + 2 * 5);
    const [a, b] = [await model.fit(x, y, { ...FIT, epochs: 2 }), await resumed.fit(x, y, { ...FIT, epochs: 2 })];
    expect(b.history.loss).toEqual(a.history.loss);
    expect(weightsOf(resumed)).toEqual(weightsOf(model));
  });

  it('a fresh optimizer instead (compile: false, then compile) does not give the same trajectory', async () => {
    // The check above can fail: without the restored state the moments start from zero again.
    const start = await compiledModel(new Adam({ learningRate: 0.01 })).toBytes();
    const straight = await loadModel(start);
    const stopped = await loadModel(start);
    await straight.fit(x, y, { ...FIT, epochs: 3 });
    await stopped.fit(x, y, { ...FIT, epochs: 1 });
    const uncompiled = await loadModel(await stopped.toBytes(), { compile: false });
    expect(uncompiled.compiled).toBe(false);
    uncompiled.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'mse' });
    await uncompiled.fit(x, y, { ...FIT, epochs: 2 });
    const gap = Math.max(
      ...weightsOf(uncompiled).flatMap((w, i) => w.map((v, j) => Math.abs(v - weightsOf(straight)[i]![j]!))),
    );
    expect(gap).toBeGreaterThan(1e-4);
  });
});

interface TrainFixture {
  optimizer: Record<string, unknown>;
  gru_config: Record<string, unknown>;
  initial_weights: FixtureTensor[];
  inputs: { x: FixtureTensor; y: FixtureTensor };
  losses: number[];
  final_weights: FixtureTensor[];
}

describe('Keras training fixtures, saved and loaded halfway, still follow Keras', () => {
  const names = fixtureNames('train-');
  it('has train fixtures', () => expect(names.length).toBeGreaterThan(0));

  it.each(names)('%s: losses after the load and final weights within 1e-4 of Keras', async (name) => {
    const fixture = loadFixture<TrainFixture>(name);
    const fx = toTensor(fixture.inputs.x);
    const fy = toTensor(fixture.inputs.y);
    const [, steps, features] = fx.shape as [number, number, number];
    let model: Model = new Sequential([
      input({ shape: [steps, features] }),
      GRU.fromConfig(fixture.gru_config),
      new Dense({ units: 1 }),
    ]);
    model.setWeights(fixture.initial_weights.map((w) => toTensor(w)));
    model.compile({ optimizer: fixture.optimizer, loss: 'mse' });
    const half = Math.floor(fixture.losses.length / 2);
    const expectKerasLoss = (step: number): void => {
      const loss = model.trainOnBatch(fx, fy);
      const expected = fixture.losses[step]!;
      expect(Math.abs(loss - expected) / Math.max(Math.abs(expected), 1e-12), `step ${step}`).toBeLessThan(1e-4);
    };
    for (let step = 0; step < half; step++) expectKerasLoss(step);
    model = await loadModel(await model.toBytes());
    expect(model.optimizer!.iterations).toBe(half);
    for (let step = half; step < fixture.losses.length; step++) expectKerasLoss(step);
    model.getWeights().forEach((w, i) => {
      expect(maxAbsDiff(w, fixture.final_weights[i]!), `final weight ${i}`).toBeLessThan(1e-4);
    });
  });
});
