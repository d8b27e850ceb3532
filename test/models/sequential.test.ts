/**
 * Sequential: building from input(), weights in Keras order, predictions of a real Keras model, masks passed
 * along, the summary table, and typed errors for bad models and bad inputs.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotBuiltError, ShapeError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { expectError } from '../helpers/errors.js';
import { loadFixture, maxAbsDiff, toTensor, type FixtureTensor } from '../helpers/fixtures.js';
import { stripShared } from '../helpers/layer-configs.js';
import { randomTensor } from '../helpers/random.js';

interface ModelFixture {
  config: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  inputs: { x: FixtureTensor };
  weights: FixtureTensor[];
  outputs: FixtureTensor[];
}

describe('Sequential', () => {
  it('builds its layers from input() in order and lists weights layer by layer', () => {
    const model = new Sequential([input({ shape: [5, 3] }), new GRU({ units: 4 }), new Dense({ units: 2 })]);
    expect(model.built).toBe(true);
    expect(model.layers.map((l) => l.className)).toEqual(['GRU', 'Dense']);
    expect(model.weights.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [3, 12]],
      ['recurrent_kernel', [4, 12]],
      ['bias', [2, 12]],
      ['kernel', [4, 2]],
      ['bias', [2]],
    ]);
    expect(model.trainableWeights).toHaveLength(5);
    expect(model.countParams()).toBe(3 * 12 + 4 * 12 + 2 * 12 + 4 * 2 + 2);
    expect(model.inputShape).toEqual([null, 5, 3]);
    expect(model.outputShape).toEqual([null, 2]);
  });

  it('builds with add() too, and on the first call when there is no input()', () => {
    const model = new Sequential();
    model.add(input({ shape: [4] }));
    model.add(new Dense({ units: 3 }));
    expect(model.layers[0]!.built).toBe(true);

    const lazy = new Sequential([new Dense({ units: 3 }), new Dense({ units: 1 })]);
    expect(lazy.built).toBe(false);
    expect(lazy.apply(tensor([[1, 2]])).shape).toEqual([1, 1]);
    expect(lazy.built).toBe(true);
    expect(lazy.inputShape).toEqual([null, 2]);
    expectError(() => lazy.apply(tensor([[1, 2, 3]])), ShapeError, 'inputs', '[null, 2]', '[1, 3]');
  });

  it('predicts what Keras predicts for a saved GRU forecaster', () => {
    const fixture = loadFixture<ModelFixture>('model-forecaster');
    const [inputConfig, gruConfig, denseConfig] = fixture.config.config.layers.map(
      (l) => stripShared(l.config) as Record<string, unknown>,
    );
    const model = new Sequential([
      input({ batchShape: inputConfig!.batch_shape as (number | null)[] }),
      GRU.fromConfig(gruConfig!),
      Dense.fromConfig(denseConfig!),
    ]);
    model.setWeights(fixture.weights.map((w) => toTensor(w)));
    const x = toTensor(fixture.inputs.x);
    expect(maxAbsDiff(model.predict(x), fixture.outputs[0]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(model.predict(x, { batchSize: 3 }), fixture.outputs[0]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(model.predictOnBatch(x), fixture.outputs[0]!)).toBeLessThan(1e-5);
  });

  it('gets and sets weights over all layers, checking the whole list first', () => {
    const model = new Sequential([input({ shape: [3, 2] }), new GRU({ units: 2 }), new Dense({ units: 1 })]);
    const weights = model.getWeights();
    const changed = weights.map((w, i) =>
      tensor(
        Array.from({ length: w.size }, (_, k) => (i + 1) * 0.01 * k),
        [...w.shape],
      ),
    );
    model.setWeights(changed);
    model.getWeights().forEach((w, i) => expect([...w.dataSync()]).toEqual([...changed[i]!.dataSync()]));
    expectError(() => model.setWeights(changed.slice(1)), InvalidArgumentError, 'weights', 'a list of 5');
    const before = model.getWeights().map((w) => [...w.dataSync()]);
    expectError(() => model.setWeights([...changed.slice(0, 4), tensor([1, 2])]), ShapeError, 'weights[4]');
    model.getWeights().forEach((w, i) => expect([...w.dataSync()]).toEqual(before[i]));
  });

  it('passes a mask along: a GRU with returnSequences hands it to the next GRU', () => {
    const first = new GRU({ units: 3, returnSequences: true });
    const second = new GRU({ units: 2 });
    const model = new Sequential([input({ shape: [4, 2] }), first, second]);
    const x = randomTensor(1, [2, 4, 2]);
    const mask = tensor(
      [
        [1, 1, 0, 0],
        [1, 1, 1, 1],
      ],
      undefined,
      'bool',
    );
    const expected = second.apply(first.apply(x, { mask }) as Tensor, { mask }) as Tensor;
    const unmasked = model.apply(x);
    const masked = model.apply(x, { mask });
    expect([...masked.dataSync()]).toEqual([...expected.dataSync()]);
    expect([...masked.dataSync()]).not.toEqual([...unmasked.dataSync()]);
    const out = model.forward([x], { mask });
    expect(out.masks[0]).toBeNull();
    const seqModel = new Sequential([
      input({ shape: [4, 2] }),
      new GRU({ units: 3, returnSequences: true }),
      new Dense({ units: 1 }),
    ]);
    expect(seqModel.forward([x], { mask }).masks[0]).toBe(mask);
  });

  it('applies dropout only in training mode', () => {
    const model = new Sequential([input({ shape: [50] }), new Dropout({ rate: 0.5, seed: 1 })]);
    const x = tensor(
      Array.from({ length: 100 }, () => 1),
      [2, 50],
    );
    expect([...model.apply(x).dataSync()]).toEqual([...x.dataSync()]);
    expect([...model.apply(x, { training: true }).dataSync()]).toContain(0);
  });

  it('prints Keras 3’s summary table', () => {
    const model = new Sequential(
      [input({ shape: [20, 3] }), new GRU({ units: 12, name: 'gru' }), new Dense({ units: 1, name: 'dense' })],
      { name: 'sequential' },
    );
    const lines: string[] = [];
    model.summary((l) => lines.push(l), { lineLength: 88 });
    expect(lines.join('\n')).toBe(
      [
        'Model: "sequential"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩',
        '│ gru (GRU)                            │ (None, 12)                  │             612 │',
        '├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤',
        '│ dense (Dense)                        │ (None, 1)                   │              13 │',
        '└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘',
        ' Total params: 625 (2.44 KB)',
        ' Trainable params: 625 (2.44 KB)',
        ' Non-trainable params: 0 (0.00 B)',
      ].join('\n'),
    );
    // 76 columns (a non-terminal's default): the columns shrink as rich shrinks them.
    const narrow = model.summaryLines({ lineLength: 76 });
    expect(narrow[1]).toBe(`┏${'━'.repeat(33)}┳${'━'.repeat(24)}┳${'━'.repeat(15)}┓`);
    expect(narrow.every((l, i) => i === 0 || i > 7 || [...l].length === 76)).toBe(true);
  });

  it('summarizes an unbuilt model with ? and (unbuilt), and counts frozen weights as non-trainable', () => {
    const lazy = new Sequential([new Dense({ units: 3, name: 'd1' })], { name: 'lazy' });
    const text = lazy.summaryLines({ lineLength: 88 }).join('\n');
    expect(text).toContain('│ d1 (Dense)                           │ ?                           │     0 (unbuilt) │');
    const frozen = new Dense({ units: 2, name: 'frozen', trainable: false });
    const model = new Sequential([input({ shape: [3] }), frozen, new Dense({ units: 1, name: 'head' })]);
    expect(model.trainableWeights).toHaveLength(2);
    expect(model.nonTrainableWeights).toHaveLength(2);
    const lines = model.summaryLines({ lineLength: 88 });
    expect(lines).toContain(' Trainable params: 3 (12.00 B)');
    expect(lines).toContain(' Non-trainable params: 8 (32.00 B)');
  });

  it('rejects bad models and inputs with typed errors', () => {
    expectError(
      () => new Sequential([new Dense({ units: 2 }), input({ shape: [3] })]),
      InvalidArgumentError,
      'first entry',
    );
    const d = new Dense({ units: 2, name: 'twice' });
    expectError(() => new Sequential([d, d]), InvalidArgumentError, 'unique');
    expectError(
      () => new Sequential([input({ shape: [4, 2] }), new GRU({ units: 2, returnState: true })]),
      InvalidArgumentError,
      'single output',
    );
    expectError(() => new Sequential([{} as Dense]), InvalidArgumentError, 'layer');
    const model = new Sequential([input({ shape: [4, 2] }), new GRU({ units: 2 })]);
    expectError(() => model.predict(tensor([[1, 2]])), ShapeError, 'x', '[null, 4, 2]', '[1, 2]');
    expectError(() => model.predict(randomTensor(1, [1, 4, 3])), ShapeError, 'x', '[1, 4, 3]');
    expectError(
      () => model.predict(randomTensor(1, [1, 4, 2]), { batchSize: 0 }),
      InvalidArgumentError,
      'batchSize',
      'positive integer',
    );
    expectError(() => new Sequential().apply(tensor([[1]])), NotBuiltError, 'no layers');
  });

  it('never mutates user inputs', () => {
    const model = new Sequential([input({ shape: [2, 2] }), new GRU({ units: 2 })]);
    const raw = [
      [
        [1, 2],
        [3, 4],
      ],
    ];
    const x = tensor(raw);
    const before = [...x.dataSync()];
    model.predict(raw);
    model.predict(x);
    expect(raw).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect([...x.dataSync()]).toEqual(before);
  });
});
