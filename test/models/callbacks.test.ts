/**
 * EarlyStopping and ReduceLROnPlateau step by step against Keras 3's rules (fed scripted epoch logs), and
 * inside a real fit.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { input } from '../../src/layers/input-layer.js';
import { EarlyStopping, ReduceLROnPlateau } from '../../src/models/monitor-callbacks.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/index.js';
import { tensor } from '../../src/tensor/tensor.js';

function model(): Sequential {
  const m = new Sequential([input({ shape: [2] }), new Dense({ units: 1 })]);
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
  return m;
}

/** Feeds `values` of `key` as epoch logs; returns the epochs run before stopTraining was set. */
function feed(
  callback: EarlyStopping | ReduceLROnPlateau,
  m: Sequential,
  values: number[],
  key = 'val_loss',
  onEpoch?: (e: number) => void,
): number {
  callback.setModel(m);
  m.stopTraining = false;
  callback.onTrainBegin();
  let epoch = 0;
  for (; epoch < values.length; epoch++) {
    onEpoch?.(epoch);
    callback.onEpochEnd(epoch, { [key]: values[epoch]! });
    if (m.stopTraining) return epoch + 1;
  }
  callback.onTrainEnd();
  return epoch;
}

describe('EarlyStopping', () => {
  it('stops once `patience` epochs have not improved on the best', () => {
    const m = model();
    const es = new EarlyStopping({ patience: 2 });
    expect(feed(es, m, [1, 0.9, 0.95, 0.96, 0.97, 0.5])).toBe(4);
    expect(es.stoppedEpoch).toBe(3);
    expect(es.best).toBe(0.9);
    // patience 0: the first epoch without improvement stops (but never epoch 0).
    expect(feed(new EarlyStopping(), model(), [1, 1.1])).toBe(2);
  });

  it('needs an improvement larger than minDelta', () => {
    const es = new EarlyStopping({ patience: 1, minDelta: 0.1 });
    expect(feed(es, model(), [1, 0.95, 0.92])).toBe(2);
  });

  it('maximizes in mode max and for accuracy-like metrics in mode auto', () => {
    expect(
      feed(new EarlyStopping({ monitor: 'val_auc', mode: 'max', patience: 1 }), model(), [0.5, 0.6, 0.55], 'val_auc'),
    ).toBe(3);
    expect(
      feed(new EarlyStopping({ monitor: 'accuracy', patience: 1 }), model(), [0.5, 0.6, 0.7, 0.65], 'accuracy'),
    ).toBe(4);
    // A compiled metric without a known direction is minimized.
    expect(feed(new EarlyStopping({ monitor: 'val_mae', patience: 1 }), model(), [0.5, 0.4, 0.45], 'val_mae')).toBe(3);
    expect(() => feed(new EarlyStopping({ monitor: 'mystery' }), model(), [1], 'mystery')).toThrow(
      InvalidArgumentError,
    );
  });

  it('restarts the wait only when the value also beats the baseline', () => {
    // Improving, but never below 0.5: the wait keeps counting, so the first flat epoch stops.
    const values = [1, 0.9, 0.8, 0.85, 0.86];
    expect(feed(new EarlyStopping({ patience: 2, baseline: 0.5 }), model(), values)).toBe(4);
    expect(feed(new EarlyStopping({ patience: 2 }), model(), values)).toBe(5);
  });

  it('ignores the warm-up epochs before startFromEpoch', () => {
    const es = new EarlyStopping({ patience: 0, startFromEpoch: 2 });
    expect(feed(es, model(), [1, 2, 3, 4, 5])).toBe(4);
  });

  it('restores the weights of the best epoch at the end', () => {
    const m = model();
    const es = new EarlyStopping({ patience: 10, restoreBestWeights: true });
    const setTo = (v: number): void => m.setWeights([tensor([[v], [v]]), tensor([v])]);
    feed(es, m, [3, 1, 2, 4], 'val_loss', (e) => setTo(e + 10));
    expect([...m.getWeights()[0]!.dataSync()]).toEqual([11, 11]);
    expect(es.bestEpoch).toBe(1);
  });

  it('stops a real fit and records fewer epochs', async () => {
    const m = new Sequential([input({ shape: [2] }), new Dense({ units: 1 })]);
    m.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const y = tensor([[1], [2], [3], [4]]);
    // A flat loss: the first epoch sets the best, the next `patience` do not improve.
    const history = await m.fit(x, y, {
      epochs: 20,
      verbose: 0,
      callbacks: [new EarlyStopping({ monitor: 'loss', patience: 2 })],
    });
    expect(history.epoch).toEqual([0, 1, 2]);
  });

  it('rejects bad options', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(InvalidArgumentError);
    expect(() => new EarlyStopping({ mode: 'up' as 'max' })).toThrow(InvalidArgumentError);
    expect(() => new EarlyStopping({ monitor: '' })).toThrow(InvalidArgumentError);
  });
});

describe('ReduceLROnPlateau', () => {
  it('multiplies the learning rate by factor after `patience` flat epochs, and logs it', () => {
    const m = model();
    const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 1 });
    cb.setModel(m);
    cb.onTrainBegin();
    const logs = [1, 1, 1, 0.5].map((v) => ({ val_loss: v }) as Record<string, number>);
    logs.forEach((l, e) => cb.onEpochEnd(e, l));
    expect(logs.map((l) => l.learning_rate)).toEqual([
      Math.fround(0.1),
      Math.fround(0.1),
      Math.fround(0.05),
      Math.fround(0.025),
    ]);
    expect(m.optimizer!.learningRate).toBe(Math.fround(0.025));
  });

  it('waits `cooldown` epochs after a reduction, and never goes below minLr', () => {
    const m = model();
    const cb = new ReduceLROnPlateau({ factor: 0.1, patience: 1, cooldown: 2, minLr: 0.005 });
    cb.setModel(m);
    cb.onTrainBegin();
    const lrs: number[] = [];
    for (let e = 0; e < 7; e++) {
      cb.onEpochEnd(e, { val_loss: 1 });
      lrs.push(m.optimizer!.learningRate);
    }
    expect(lrs).toEqual([0.1, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005].map(Math.fround));
  });

  it('rejects a factor ≥ 1', () => {
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(InvalidArgumentError);
  });
});
