/**
 * The functional API: symbolic tensors through layer calls, `new Model({ inputs, outputs })` with several
 * inputs and outputs, shared layers (two nodes), masks inferred symbolically and carried at run time, and
 * training a functional model as a Sequential one is trained.
 */
import { describe, expect, it } from 'vitest';
import {
  AttributeError,
  Dense,
  GRU,
  InvalidArgumentError,
  Model,
  Sequential,
  ShapeError,
  SymbolicTensor,
  input,
  type Tensor,
} from '../../src/index.js';
import { randomTensor } from '../helpers/random.js';

const maxDiff = (a: Tensor, b: Tensor): number =>
  Math.max(...Array.from(a.dataSync()).map((v, i) => Math.abs(v - b.dataSync()[i]!)));

describe('functional models', () => {
  it('infers shapes symbolically and runs the graph with the same numbers as calling the layers', () => {
    const x = input({ shape: [6, 3] });
    const gru = new GRU({ units: 4, returnSequences: true });
    const dense = new Dense({ units: 2 });
    const h = gru.apply(x) as SymbolicTensor;
    const y = dense.apply(h);
    expect(h).toBeInstanceOf(SymbolicTensor);
    expect(h.shape).toEqual([null, 6, 4]);
    expect(y.shape).toEqual([null, 6, 2]);
    const model = new Model({ inputs: x, outputs: y });
    expect(model.layers.map((l) => l.className)).toEqual(['InputLayer', 'GRU', 'Dense']);
    const data = randomTensor(1, [2, 6, 3]);
    const direct = dense.apply(gru.apply(data) as Tensor);
    expect(maxDiff(model.apply(data) as Tensor, direct)).toBe(0);
    expect(model.countParams()).toBe(gru.countParams() + dense.countParams());
  });

  it('takes several inputs and gives several outputs; a shared layer has one node per call', () => {
    const a = input({ shape: [5, 3], name: 'a' });
    const b = input({ shape: [5, 3], name: 'b' });
    const shared = new GRU({ units: 4, name: 'shared_gru' });
    const ha = shared.apply(a) as SymbolicTensor;
    const hb = shared.apply(b) as SymbolicTensor;
    const head = new Dense({ units: 1, name: 'head' });
    const outA = head.apply(ha);
    const outB = new Dense({ units: 2, name: 'other' }).apply(hb);
    const model = new Model({ inputs: [a, b], outputs: [outA, outB] });
    expect(shared.inboundNodes).toHaveLength(2);
    expect(shared.getInputAt(0)).toBe(a);
    expect(shared.getInputAt(1)).toBe(b);
    expect(shared.getOutputAt(1)).toBe(hb);
    expect(() => shared.input).toThrow(AttributeError);
    // Both calls have the same shapes, so inputShape is defined (the page's rule).
    expect(shared.inputShape).toEqual([null, 5, 3]);
    const xa = randomTensor(2, [3, 5, 3]);
    const xb = randomTensor(3, [3, 5, 3]);
    const [pa, pb] = model.predict([xa, xb]) as Tensor[];
    expect(pa!.shape).toEqual([3, 1]);
    expect(pb!.shape).toEqual([3, 2]);
    expect(maxDiff(pa!, head.apply(shared.apply(xa) as Tensor))).toBe(0);
    // The same weights serve both calls.
    expect(model.weights.filter((w) => w.name === 'kernel')).toHaveLength(3);
  });

  it('carries masks: symbolic masks on returnSequences outputs, real masks at run time', () => {
    const x = input({ shape: [4, 2] });
    const first = new GRU({ units: 3, returnSequences: true });
    const second = new GRU({ units: 3 });
    const seq = first.apply(x, { mask: input({ shape: [4], dtype: 'bool' }) }) as SymbolicTensor;
    expect(seq.mask).not.toBeNull();
    expect(seq.mask!.shape).toEqual([null, 4]);
    const last = second.apply(seq) as SymbolicTensor;
    expect(last.mask).toBeNull();
    expect(first.outputMask).toBe(seq.mask);
    expect(second.inputMask).toBe(seq.mask);
  });

  it('trains with compile/fit/evaluate like a Sequential model, with the same numbers', async () => {
    const make = () => {
      const gru = new GRU({
        units: 4,
        kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } },
        recurrentInitializer: { class_name: 'Orthogonal', config: { seed: 2 } },
      });
      const dense = new Dense({ units: 1, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 3 } } });
      return { gru, dense };
    };
    const s = make();
    const sequential = new Sequential([input({ shape: [5, 2] }), s.gru, s.dense]);
    const f = make();
    const x = input({ shape: [5, 2] });
    const functional = new Model({ inputs: x, outputs: f.dense.apply(f.gru.apply(x) as SymbolicTensor) });
    const data = randomTensor(4, [8, 5, 2]);
    const target = randomTensor(5, [8, 1]);
    for (const m of [sequential, functional]) m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const h1 = await sequential.fit(data, target, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const h2 = await functional.fit(data, target, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    expect(h2.history.loss).toEqual(h1.history.loss);
    expect(functional.evaluate(data, target)).toBe(sequential.evaluate(data, target));
  });

  it('trains a two-output model on the sum of the losses, with metrics per output', () => {
    const x = input({ shape: [4, 2] });
    const h = new GRU({ units: 3 }).apply(x) as SymbolicTensor;
    const model = new Model({
      inputs: x,
      outputs: [new Dense({ units: 1, name: 'y1' }).apply(h), new Dense({ units: 2, name: 'y2' }).apply(h)],
    });
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const data = randomTensor(6, [5, 4, 2]);
    const logs = model.trainOnBatch(data, [randomTensor(7, [5, 1]), randomTensor(8, [5, 2])], { returnDict: true });
    expect(Object.keys(logs)).toEqual(['loss', 'y1_mae', 'y2_mae']);
    expect(model.metricsNames).toEqual(['loss', 'y1_mae', 'y2_mae']);
  });

  it('nests: a model is a layer that can be called on symbolic tensors', () => {
    const inner = new Sequential([input({ shape: [3, 2] }), new GRU({ units: 2 }), new Dense({ units: 1 })]);
    const x = input({ shape: [3, 2] });
    const outer = new Model({ inputs: x, outputs: inner.apply(x) });
    const data = randomTensor(9, [2, 3, 2]);
    expect(maxDiff(outer.apply(data) as Tensor, inner.apply(data))).toBe(0);
  });

  it('rejects disconnected graphs, non-input inputs and wrong data with typed errors', () => {
    const a = input({ shape: [3, 2] });
    const b = input({ shape: [3, 2] });
    const out = new GRU({ units: 2 }).apply(b) as SymbolicTensor;
    expect(() => new Model({ inputs: a, outputs: out })).toThrow(InvalidArgumentError);
    expect(() => new Model({ inputs: out, outputs: out })).toThrow(/input\(\)/);
    const model = new Model({ inputs: b, outputs: out });
    expect(() => model.apply(randomTensor(1, [2, 3, 5]))).toThrow(ShapeError);
    expect(() => new GRU({ units: 2 }).apply(input({ shape: [3] }))).toThrow(ShapeError);
  });
});
