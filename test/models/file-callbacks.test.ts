/**
 * ModelCheckpoint, CSVLogger, LearningRateScheduler and LambdaCallback inside real `fit` runs of a tiny model,
 * against Keras 3's documented behaviour (file names, CSV layout, the scheduler's docstring example).
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CSVLogger,
  Dense,
  ExponentialDecay,
  InvalidArgumentError,
  LambdaCallback,
  LearningRateScheduler,
  ModelCheckpoint,
  SGD,
  Sequential,
  input,
  loadModel,
  tensor,
  type FileSink,
} from '../../src/index.js';
import { expectError, expectRejection } from '../helpers/errors.js';

const x = tensor([
  [0, 1],
  [1, 0],
  [1, 1],
  [0.5, -1],
  [-1, 0.25],
  [2, 1],
]);
const y = tensor([[1], [-1], [0], [2], [0.5], [-1]]);

function model(learningRate: number | ExponentialDecay = 0.05): Sequential {
  const m = new Sequential([input({ shape: [2] }), new Dense({ units: 1, kernelInitializer: 'ones' })]);
  m.compile({ optimizer: new SGD({ learningRate }), loss: 'mse' });
  return m;
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'keras-gru-callbacks-'));

describe('ModelCheckpoint', () => {
  it('saves a .keras file every epoch with Keras-formatted names, each loading as the model of that epoch', async () => {
    const dir = tmp();
    const m = model();
    const weightsAt: number[][] = [];
    const checkpoint = new ModelCheckpoint(join(dir, 'ckpt', 'model-{epoch:02d}-{val_loss:.4f}.keras'));
    const history = await m.fit(x, y, {
      epochs: 3,
      batchSize: 3,
      shuffle: false,
      verbose: 0,
      validationData: [x, y],
      callbacks: [
        checkpoint,
        new LambdaCallback({ onEpochEnd: () => weightsAt.push([...m.getWeights()[0]!.dataSync()]) }),
      ],
    });
    await checkpoint.flush();
    const names = history.history.val_loss!.map(
      (v, i) => `model-${String(i + 1).padStart(2, '0')}-${v.toFixed(4)}.keras`,
    );
    expect(readdirSync(join(dir, 'ckpt')).sort()).toEqual(names);
    expect(checkpoint.saved).toEqual(names.map((n) => join(dir, 'ckpt', n)));
    const second = await loadModel(join(dir, 'ckpt', names[1]!));
    expect([...second.getWeights()[0]!.dataSync()]).toEqual(weightsAt[1]);
  });

  it('saveBestOnly keeps the best epoch; prints as Keras does; weights-only by the file name', async () => {
    const dir = tmp();
    const lines: string[] = [];
    const path = join(dir, 'best.weights.h5');
    const m = model();
    const checkpoint = new ModelCheckpoint(path, {
      monitor: 'loss',
      saveBestOnly: true,
      verbose: 1,
      print: (t) => lines.push(t),
    });
    expect(checkpoint.saveWeightsOnly).toBe(true);
    // A learning rate that diverges after the first epochs: later epochs do not improve.
    let bestWeights: number[] = [];
    let best = Infinity;
    await m.fit(x, y, {
      epochs: 4,
      batchSize: 6,
      shuffle: false,
      verbose: 0,
      callbacks: [
        new LearningRateScheduler((epoch) => (epoch < 2 ? 0.05 : 3)),
        checkpoint,
        new LambdaCallback({
          onEpochEnd: (_e, logs) => {
            if (logs!.loss! < best) {
              best = logs!.loss!;
              bestWeights = [...m.getWeights()[0]!.dataSync()];
            }
          },
        }),
      ],
    });
    await checkpoint.flush();
    expect(lines[0]).toMatch(/^\nEpoch 1: loss improved from None to \d\.\d{5}, saving model to .*best\.weights\.h5$/);
    expect(lines.some((l) => /^\nEpoch \d: loss did not improve from \d\.\d{5}$/.test(l))).toBe(true);
    expect(checkpoint.best).toBe(best);
    const fresh = model();
    await fresh.loadWeights(path);
    expect([...fresh.getWeights()[0]!.dataSync()]).toEqual(bestWeights);
  });

  it('saveFreq counts batches across epochs and offers {batch}; writes go to a given sink in order', async () => {
    const written: string[] = [];
    const sink: FileSink = { write: async (p) => void written.push(p), append: () => undefined, firstLine: () => null };
    const checkpoint = new ModelCheckpoint('m-{epoch}-{batch}.keras', { saveFreq: 3, sink });
    await model().fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0, callbacks: [checkpoint] });
    await checkpoint.flush();
    expect(written).toEqual(['m-1-3.keras', 'm-2-3.keras']);
  });

  it('a failed write is thrown by the next hook or by flush', async () => {
    const sink: FileSink = {
      write: async () => {
        throw new Error('disk full');
      },
      append: () => undefined,
      firstLine: () => null,
    };
    const checkpoint = new ModelCheckpoint('m.keras', { sink });
    await model().fit(x, y, { epochs: 1, verbose: 0, callbacks: [checkpoint] });
    await expect(checkpoint.flush()).rejects.toThrow('disk full');
  });

  it('checks its arguments as Keras does', async () => {
    expectError(() => new ModelCheckpoint('m.h5'), InvalidArgumentError, 'ModelCheckpoint writes .keras model files');
    expectError(() => new ModelCheckpoint('m.keras', { saveWeightsOnly: true }), InvalidArgumentError, '.weights.h5');
    expectError(() => new ModelCheckpoint('m.txt'), InvalidArgumentError, '.keras');
    expectError(() => new ModelCheckpoint('m.keras', { saveFreq: 0 }), InvalidArgumentError, 'saveFreq');
    expectError(() => new ModelCheckpoint('m.keras', { period: 2 } as never), InvalidArgumentError, 'period');
    const bad = new ModelCheckpoint('m-{val_acc:.2f}.keras', {
      sink: { write: () => undefined, append: () => undefined, firstLine: () => null },
    });
    await expectRejection(
      () => model().fit(x, y, { epochs: 1, verbose: 0, callbacks: [bad] }),
      InvalidArgumentError,
      'filepath',
      'val_acc',
    );
  });
});

describe('CSVLogger', () => {
  it("writes Keras's layout: epoch then the sorted keys, Python floats, \\r\\n; complete when fit returns", async () => {
    const file = join(tmp(), 'log.csv');
    const m = model();
    const history = await m.fit(x, y, {
      epochs: 3,
      verbose: 0,
      shuffle: false,
      validationData: [x, y],
      callbacks: [new CSVLogger(file)],
    });
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('epoch,loss,val_loss');
    expect(lines.length).toBe(5);
    expect(lines[4]).toBe('');
    const loss = history.history.loss!;
    expect(lines[1]).toBe(`0,${String(loss[0])},${String(history.history.val_loss![0])}`);
    expect(lines[3]!.startsWith('2,')).toBe(true);
  });

  it('append keeps the header and adds rows; a new run without append replaces the file', async () => {
    const file = join(tmp(), 'log.csv');
    const m = model();
    await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new CSVLogger(file, { separator: ';' })] });
    await m.fit(x, y, {
      epochs: 3,
      initialEpoch: 1,
      verbose: 0,
      callbacks: [new CSVLogger(file, { separator: ';', append: true })],
    });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines.map((l) => l.split(';')[0])).toEqual(['epoch', '0', '1', '2']);
    await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new CSVLogger(file)] });
    expect(readFileSync(file, 'utf8').trimEnd().split('\r\n').length).toBe(2);
    writeFileSync(file, '');
    await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new CSVLogger(file, { append: true })] });
    expect(readFileSync(file, 'utf8').startsWith('epoch,loss\r\n')).toBe(true);
  });

  it('logs the learning rate column that LearningRateScheduler adds, and writes floats as Python does', async () => {
    const rows: string[] = [];
    const sink: FileSink = { write: () => undefined, append: (_p, t) => void rows.push(t), firstLine: () => null };
    await model().fit(x, y, {
      epochs: 2,
      verbose: 0,
      callbacks: [new LearningRateScheduler(() => 0.5), new CSVLogger('log.csv', { sink })],
    });
    expect(rows[0]!.split('\r\n')[0]).toBe('epoch,learning_rate,loss');
    expect(rows[0]!.split('\r\n')[1]!.split(',')[1]).toBe('0.5');
    expect(rows[1]!.startsWith('1,0.5,')).toBe(true);
  });

  it('checks its arguments', () => {
    expectError(() => new CSVLogger(''), InvalidArgumentError, 'filename');
    expectError(() => new CSVLogger('a.csv', { separator: '"' }), InvalidArgumentError, 'separator');
    expectError(() => new CSVLogger('a.csv', { append: 'yes' as never }), InvalidArgumentError, 'append');
  });
});

describe('LearningRateScheduler', () => {
  it('the docstring example: SGD 0.01 kept 10 epochs, then ·exp(−0.1) per epoch → 0.00607 after 15', async () => {
    const m = new Sequential([input({ shape: [20] }), new Dense({ units: 10 })]);
    m.compile({ optimizer: new SGD(), loss: 'mse' });
    // Keras feeds np.arange(100) (its loss diverges, which Keras ignores); scaled here: the rates do not depend on it.
    const xs = tensor(
      Array.from({ length: 100 }, (_, i) => i / 100),
      [5, 20],
    );
    const history = await m.fit(xs, tensor(new Float32Array(50), [5, 10]), {
      epochs: 15,
      verbose: 0,
      callbacks: [new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))],
    });
    let lr = Math.fround(0.01);
    for (let e = 10; e < 15; e++) lr = Math.fround(lr * Math.exp(-0.1));
    expect(m.optimizer!.learningRate).toBe(lr);
    expect(Math.round(lr * 1e5) / 1e5).toBe(0.00607);
    expect(history.history.learning_rate!.at(-1)).toBe(lr);
    expect(history.history.learning_rate![0]).toBe(Math.fround(0.01));
  });

  it('prints as Keras does, and refuses bad schedules and optimizers with a schedule', async () => {
    const lines: string[] = [];
    await model().fit(x, y, {
      epochs: 1,
      verbose: 0,
      callbacks: [new LearningRateScheduler(() => 0.001, { verbose: 1, print: (t) => lines.push(t) })],
    });
    expect(lines).toEqual(['\nEpoch 1: LearningRateScheduler setting learning rate to 0.001.']);
    await expectRejection(
      () => model().fit(x, y, { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler(() => NaN)] }),
      InvalidArgumentError,
      'schedule',
    );
    const scheduled = model(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }));
    await expectRejection(
      () => scheduled.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler((_e, lr) => lr)] }),
      InvalidArgumentError,
      'learningRate',
    );
    expectError(() => new LearningRateScheduler(0.1 as never), InvalidArgumentError, 'schedule');
  });
});

describe('LambdaCallback', () => {
  it("calls its functions at their hooks, Keras's train-batch names included", async () => {
    const events: string[] = [];
    await model().fit(x, y, {
      epochs: 2,
      batchSize: 3,
      verbose: 0,
      callbacks: [
        new LambdaCallback({
          onTrainBegin: () => events.push('train'),
          onEpochBegin: (e) => events.push(`epoch ${e}`),
          onTrainBatchEnd: (b) => events.push(`batch ${b}`),
          onTrainEnd: () => events.push('end'),
        }),
      ],
    });
    expect(events).toEqual(['train', 'epoch 0', 'batch 0', 'batch 1', 'epoch 1', 'batch 0', 'batch 1', 'end']);
    expectError(
      () => new LambdaCallback({ onEpochFinish: () => undefined } as never),
      InvalidArgumentError,
      'onEpochFinish',
    );
    expectError(
      () => new LambdaCallback({ onBatchEnd: () => undefined, onTrainBatchEnd: () => undefined }),
      InvalidArgumentError,
      'not both',
    );
  });
});
