/**
 * compile / trainOnBatch / evaluate / fit: what each step computes, how epochs, batches, shuffling and
 * validation split the data (checked with a zero learning rate, where every logged number is an evaluation),
 * callback order, NaN handling, and typed errors for bad arguments. Inputs are never mutated.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotBuiltError, ShapeError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Callback, History, TerminateOnNaN, type Logs } from '../../src/models/callbacks.js';
import { TrainingError } from '../../src/models/errors.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/index.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { expectError, expectRejection } from '../helpers/errors.js';
import { seededValues } from '../helpers/random.js';

function data(n: number, seed = 1): { x: Tensor; y: Tensor } {
  const xs = seededValues(seed, n * 3);
  const x = tensor(xs, [n, 3]);
  // A linear target the model can learn.
  const y = tensor(
    Array.from({ length: n }, (_, i) => 0.5 * xs[i * 3]! - xs[i * 3 + 1]! + 0.25 * xs[i * 3 + 2]! + 0.1),
    [n, 1],
  );
  return { x, y };
}

function denseModel(seed = 0): Sequential {
  const model = new Sequential([input({ shape: [3] }), new Dense({ units: 1 })]);
  model.setWeights([tensor(seededValues(100 + seed, 3), [3, 1]), tensor([0.05])]);
  return model;
}

const mse = (model: Sequential, x: Tensor, y: Tensor): number => {
  const p = model.predict(x).dataSync();
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - y.values[i]!) ** 2;
  return s / p.length;
};

describe('compile and trainOnBatch', () => {
  it('returns the loss before the step and then applies the optimizer update', () => {
    const model = denseModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const { x, y } = data(8);
    const before = mse(model, x, y);
    const loss = model.trainOnBatch(x, y);
    expect(loss).toBeCloseTo(before, 6);
    expect(mse(model, x, y)).toBeLessThan(before);
    expect(model.optimizer!.iterations).toBe(1);
  });

  it('adds regularization losses to the loss', () => {
    const model = new Sequential([
      input({ shape: [3] }),
      new Dense({ units: 1, kernelRegularizer: { class_name: 'L2', config: { l2: 0.5 } } }),
    ]);
    model.setWeights([tensor([[1], [2], [3]]), tensor([0])]);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const { x, y } = data(4);
    expect(model.testOnBatch(x, y)).toBeCloseTo(mse(model, x, y) + 0.5 * 14, 4);
    expect(model.trainOnBatch(x, y)).toBeCloseTo(mse(model, x, y) + 0.5 * 14, 4);
  });

  it('reports metrics with returnDict', () => {
    const model = denseModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse', metrics: ['mae'] });
    const { x, y } = data(8);
    const logs = model.trainOnBatch(x, y, { returnDict: true });
    expect(Object.keys(logs)).toEqual(['loss', model.metrics[0]!.name]);
    const p = model.predict(x).dataSync();
    const mae = [...p].reduce((s, v, i) => s + Math.abs(v - y.values[i]!), 0) / p.length;
    expect(Object.values(logs)[1]).toBeCloseTo(mae, 5);
    expect(model.metricsNames).toEqual(Object.keys(logs));
  });

  it('needs compile first', async () => {
    const model = denseModel();
    const { x, y } = data(4);
    expectError(() => model.trainOnBatch(x, y), NotBuiltError, 'trainOnBatch', 'compile');
    await expectRejection(() => model.fit(x, y), NotBuiltError, 'fit', 'compile');
    expectError(() => model.evaluate(x, y), NotBuiltError, 'evaluate', 'compile');
    expectError(() => model.compile({ loss: undefined as never }), InvalidArgumentError, 'loss');
    expectError(() => model.compile({ loss: 'mse', metric: ['mae'] } as never), InvalidArgumentError, 'metric');
  });
});

describe('evaluate', () => {
  it('is the mean loss over all samples, whatever the batch size', () => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = data(10);
    const expected = mse(model, x, y);
    expect(model.evaluate(x, y)).toBeCloseTo(expected, 6);
    expect(model.evaluate(x, y, { batchSize: 3 })).toBeCloseTo(expected, 6);
    expect(model.evaluate(x, y, { batchSize: 3, returnDict: true })).toEqual({ loss: expect.closeTo(expected, 6) });
  });
});

describe('fit', () => {
  it('learns, and logs one loss per epoch', async () => {
    const model = denseModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.2 }), loss: 'mse' });
    const { x, y } = data(64);
    const history = await model.fit(x, y, { epochs: 5, batchSize: 16, verbose: 0, seed: 1 });
    expect(history).toBeInstanceOf(History);
    expect(model.history).toBe(history);
    expect(history.epoch).toEqual([0, 1, 2, 3, 4]);
    const losses = history.history.loss!;
    expect(losses).toHaveLength(5);
    expect(losses[4]!).toBeLessThan(losses[0]! / 4);
    expect(model.optimizer!.iterations).toBe(5 * 4);
  });

  it('trains a GRU model end to end', async () => {
    const model = new Sequential([input({ shape: [4, 2] }), new GRU({ units: 4 }), new Dense({ units: 1 })]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const xs = seededValues(3, 32 * 4 * 2);
    const x = tensor(xs, [32, 4, 2]);
    const y = tensor(
      Array.from({ length: 32 }, (_, i) => xs[i * 8]! - xs[i * 8 + 7]!),
      [32, 1],
    );
    const history = await model.fit(x, y, { epochs: 20, batchSize: 8, verbose: 0, seed: 2 });
    const losses = history.history.loss!;
    expect(losses[19]!).toBeLessThan(losses[0]!);
  });

  it('logs the batch-size-weighted mean loss of the epoch (learning rate 0)', async () => {
    const model = denseModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const { x, y } = data(10);
    const history = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(history.history.loss![0]).toBeCloseTo(mse(model, x, y), 6);
  });

  it('holds out the LAST fraction of the samples for validation, before shuffling', async () => {
    const model = denseModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const { x, y } = data(10);
    const history = await model.fit(x, y, { epochs: 2, batchSize: 3, validationSplit: 0.3, verbose: 0 });
    const rows = (t: Tensor, a: number, b: number): Tensor =>
      tensor([...t.dataSync()].slice(a * t.shape[1]!, b * t.shape[1]!), [b - a, t.shape[1]!]);
    expect(history.history.val_loss![1]).toBeCloseTo(mse(model, rows(x, 7, 10), rows(y, 7, 10)), 6);
    expect(history.history.loss![1]).toBeCloseTo(mse(model, rows(x, 0, 7), rows(y, 0, 7)), 6);
    const withData = await model.fit(rows(x, 0, 7), rows(y, 0, 7), {
      epochs: 1,
      verbose: 0,
      validationData: [rows(x, 7, 10), rows(y, 7, 10)],
    });
    expect(withData.history.val_loss![0]).toBeCloseTo(history.history.val_loss![1]!, 6);
    expect(Object.keys(withData.history)).toEqual(['loss', 'val_loss']);
  });

  it('shuffles reproducibly with a seed, and not at all with shuffle: false', async () => {
    const run = async (options: { seed?: number; shuffle?: boolean }): Promise<number[]> => {
      const model = denseModel();
      model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
      const { x, y } = data(12);
      await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, ...options });
      return model.getWeights().flatMap((w) => [...w.dataSync()]);
    };
    expect(await run({ seed: 5 })).toEqual(await run({ seed: 5 }));
    expect(await run({ seed: 5 })).not.toEqual(await run({ seed: 6 }));
    expect(await run({ shuffle: false })).toEqual(await run({ shuffle: false }));
  });

  it('runs epochs initialEpoch..epochs−1', async () => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = data(4);
    const history = await model.fit(x, y, { epochs: 5, initialEpoch: 3, verbose: 0 });
    expect(history.epoch).toEqual([3, 4]);
    expect((await model.fit(x, y, { epochs: 0, verbose: 0 })).history).toEqual({});
  });

  it('calls the callbacks in Keras order, with logs', async () => {
    const events: string[] = [];
    class Recorder extends Callback {
      override onTrainBegin(): void {
        events.push('trainBegin');
      }
      override onEpochBegin(epoch: number): void {
        events.push(`epochBegin ${epoch}`);
      }
      override onBatchBegin(batch: number): void {
        events.push(`batchBegin ${batch}`);
      }
      override onBatchEnd(batch: number, logs?: Logs): void {
        events.push(`batchEnd ${batch} ${Object.keys(logs ?? {}).join(',')}`);
      }
      override onTestBegin(): void {
        events.push('testBegin');
      }
      override onTestEnd(): void {
        events.push('testEnd');
      }
      override onEpochEnd(epoch: number, logs?: Logs): void {
        events.push(`epochEnd ${epoch} ${Object.keys(logs ?? {}).join(',')}`);
      }
      override onTrainEnd(logs?: Logs): void {
        events.push(`trainEnd ${Object.keys(logs ?? {}).join(',')}`);
      }
    }
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = data(6);
    const plain: string[] = [];
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 3,
      validationSplit: 1 / 3,
      verbose: 0,
      callbacks: [new Recorder(), { onEpochEnd: (epoch: number) => plain.push(`plain ${epoch}`) }],
    });
    expect(events).toEqual([
      'trainBegin',
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0 loss',
      'batchBegin 1',
      'batchEnd 1 loss',
      'testBegin',
      'testEnd',
      'epochEnd 0 loss,val_loss',
      'epochBegin 1',
      'batchBegin 0',
      'batchEnd 0 loss',
      'batchBegin 1',
      'batchEnd 1 loss',
      'testBegin',
      'testEnd',
      'epochEnd 1 loss,val_loss',
      'trainEnd loss,val_loss',
    ]);
    expect(plain).toEqual(['plain 0', 'plain 1']);
  });

  it('stops after the batch in which a callback sets stopTraining', async () => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = data(12);
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      verbose: 0,
      callbacks: [
        {
          onBatchEnd(batch: number) {
            if (batch === 1) model.stopTraining = true;
          },
        },
      ],
    });
    expect(history.epoch).toEqual([0]);
    expect(model.optimizer!.iterations).toBe(2);
  });

  it('throws a TrainingError on a NaN loss, before applying that step', async () => {
    const model = denseModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const { x } = data(4);
    const y = tensor([[1], [NaN], [0], [2]]);
    const before = model.getWeights().flatMap((w) => [...w.dataSync()]);
    const error = (await expectRejection(
      () => model.fit(x, y, { batchSize: 4, verbose: 0 }),
      TrainingError,
      'NaN',
      'TerminateOnNaN',
    )) as TrainingError;
    expect(error.epoch).toBe(0);
    expect(error.batch).toBe(0);
    expect(model.getWeights().flatMap((w) => [...w.dataSync()])).toEqual(before);
    expectError(() => model.trainOnBatch(x, y), TrainingError, 'NaN');
    const inf = tensor([[1], [Infinity], [0], [2]]);
    await expectRejection(() => model.fit(x, inf, { batchSize: 4, verbose: 0 }), TrainingError, 'Infinity');
  });

  it('stops cleanly on a NaN loss with TerminateOnNaN, as Keras does', async () => {
    const model = denseModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const { x } = data(4);
    const y = tensor([[1], [NaN], [0], [2]]);
    const messages: string[] = [];
    let ended = false;
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      verbose: 0,
      shuffle: false,
      callbacks: [new TerminateOnNaN({ print: (m) => messages.push(m) }), { onTrainEnd: () => (ended = true) }],
    });
    expect(messages).toEqual(['Batch 0: Invalid loss, terminating training']);
    expect(ended).toBe(true);
    expect(history.epoch).toEqual([0]);
    expect(Number.isNaN(history.history.loss![0])).toBe(true);
    await expectRejection(
      () => model.fit(x, y, { verbose: 0, callbacks: [new TerminateOnNaN({ raiseError: true })] }),
      TrainingError,
      'NaN or Inf loss',
    );
  });

  it('rejects bad arguments with typed errors naming them', async () => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = data(6);
    await expectRejection(
      () => model.fit(x, tensor([[1], [2]]), { verbose: 0 }),
      ShapeError,
      'y',
      '6 samples',
      '2 samples',
    );
    expectError(() => model.trainOnBatch(x, tensor([[1]])), ShapeError, 'y', '6 samples');
    expectError(() => model.evaluate(x, tensor([[1]])), ShapeError, 'y');
    await expectRejection(
      () => model.fit(x, y, { batchSize: 0 }),
      InvalidArgumentError,
      'batchSize',
      'positive integer',
      '0',
    );
    await expectRejection(() => model.fit(x, y, { batchSize: 2.5 }), InvalidArgumentError, 'batchSize', '2.5');
    expectError(() => model.evaluate(x, y, { batchSize: -1 }), InvalidArgumentError, 'batchSize');
    await expectRejection(
      () => model.fit(x, y, { epochs: -1 }),
      InvalidArgumentError,
      'epochs',
      'non-negative integer',
      '-1',
    );
    await expectRejection(() => model.fit(x, y, { epochs: 1.5 }), InvalidArgumentError, 'epochs');
    await expectRejection(
      () => model.fit(x, y, { validationSplit: 1 }),
      InvalidArgumentError,
      'validationSplit',
      '[0, 1)',
      '1',
    );
    await expectRejection(() => model.fit(x, y, { validationSplit: -0.1 }), InvalidArgumentError, 'validationSplit');
    await expectRejection(
      () => model.fit(x, y, { validationSplit: 0.9, verbose: 0 }),
      InvalidArgumentError,
      'validationSplit',
      '6 samples',
    );
    await expectRejection(() => model.fit(x, y, { verbose: 3 as 0 }), InvalidArgumentError, 'verbose');
    await expectRejection(() => model.fit(x, y, { batch_size: 4 } as never), InvalidArgumentError, 'batch_size');
    await expectRejection(
      () => model.fit(x, y, { validationData: [x] as never, verbose: 0 }),
      InvalidArgumentError,
      'validationData',
    );
    await expectRejection(
      () => model.fit(tensor([[1, 2]]), tensor([[1]]), { verbose: 0 }),
      ShapeError,
      'x',
      '[null, 3]',
      '[1, 2]',
    );
    await expectRejection(
      () => model.fit(x, y, { callbacks: [{ onEpochEnnd: () => {} }] as never, verbose: 0 }),
      InvalidArgumentError,
      'onEpochEnnd',
    );
  });

  it('never mutates user inputs', async () => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const xs = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ];
    const ys = [[1], [2], [3]];
    const copyX = JSON.parse(JSON.stringify(xs));
    const x = tensor(xs);
    const y = tensor(ys);
    await model.fit(xs, ys, { epochs: 2, batchSize: 2, verbose: 0, validationSplit: 0.34 });
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    model.trainOnBatch(x, y);
    model.evaluate(xs, ys);
    expect(xs).toEqual(copyX);
    expect(ys).toEqual([[1], [2], [3]]);
    expect([...x.dataSync()]).toEqual(copyX.flat());
  });
});
