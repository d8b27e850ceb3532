/**
 * The layers around GRUs exported to ONNX and run in onnxruntime-node against keras-gru: Bidirectional (every
 * merge mode, states, masks, unlike directions), stacked GRUs, Dense with each translated activation,
 * Embedding (int32/int64 ids, maskZero), Dropout, TimeDistributed, nested models, shared layers, explicit
 * masks; and the shape of the graph itself (one GRU node, no mask ops without a mask).
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto, type ValueInfoProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { Bidirectional, type MergeMode } from '../../src/layers/bidirectional.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Embedding } from '../../src/layers/embedding.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Masking } from '../../src/layers/masking.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { TimeDistributed } from '../../src/layers/time-distributed.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { DENSE_ACTIVATION_NAMES } from '../../src/onnx/activations.js';
import { exportOnnx } from '../../src/onnx/index.js';
import { tensor } from '../../src/tensor/tensor.js';
import { expectOnnxMatches, maskSteps, randomizeWeights, randomTensor } from './ort.js';

const parse = (bytes: Uint8Array): ModelProto => fromBinary(ModelProtoSchema, bytes);
const opTypes = (m: ModelProto): string[] => m.graph!.node.map((n) => n.opType);

/** Rows right-padded, left-padded, with a hole; for x [3,6,F]. */
const MASKED: [number, number][] = [
  [0, 4],
  [0, 5],
  [1, 0],
  [1, 1],
  [2, 2],
];

describe('exportOnnx: Bidirectional(GRU)', () => {
  const modes: MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

  it('every merge mode, sequences or last outputs, with and without a mask, with states', async () => {
    let seed = 100;
    for (const mergeMode of modes) {
      for (const returnSequences of [false, true]) {
        for (const masked of [false, true]) {
          const x = input({ shape: [null, 3] });
          const source = masked ? new Masking().apply(x) : x;
          const bi = new Bidirectional({ layer: new GRU({ units: 4, returnSequences, returnState: true }), mergeMode });
          const outputs = bi.apply(source) as SymbolicTensor[];
          const model = new Model({ inputs: x, outputs });
          randomizeWeights(model, seed++);
          const data = randomTensor([3, 6, 3], seed);
          await expectOnnxMatches(
            model,
            [masked ? maskSteps(data, MASKED) : data],
            `merge ${String(mergeMode)} returnSequences ${returnSequences} masked ${masked}`,
          );
        }
      }
    }
  });

  it('runs both directions in one bidirectional GRU node; unlike directions get a node each', async () => {
    const same = new Sequential([
      input({ shape: [null, 3] }),
      new Bidirectional({ layer: new GRU({ units: 4, resetAfter: false }) }),
    ]);
    randomizeWeights(same, 110);
    const graph = parse(exportOnnx(same)).graph!;
    const gru = graph.node.filter((n) => n.opType === 'GRU');
    expect(gru).toHaveLength(1);
    expect(new TextDecoder().decode(gru[0]!.attribute.find((a) => a.name === 'direction')!.s)).toBe('bidirectional');
    await expectOnnxMatches(same, [randomTensor([2, 5, 3], 111)], 'bidirectional node');

    const unlike = new Sequential([
      input({ shape: [null, 3] }),
      new Bidirectional({
        layer: new GRU({ units: 4, returnSequences: true }),
        backwardLayer: new GRU({
          units: 2,
          goBackwards: true,
          returnSequences: true,
          resetAfter: false,
          recurrentActivation: 'hard_sigmoid',
        }),
      }),
    ]);
    randomizeWeights(unlike, 112);
    expect(opTypes(parse(exportOnnx(unlike))).filter((t) => t === 'GRU')).toHaveLength(2);
    await expectOnnxMatches(unlike, [maskSteps(randomTensor([3, 6, 3], 113), MASKED)], 'unlike directions');
  });

  it('initial states split between the directions', async () => {
    const x = input({ shape: [null, 2] });
    const hf = input({ shape: [3] });
    const hb = input({ shape: [3] });
    const y = new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }) }).apply(x, {
      initialState: [hf, hb],
    }) as SymbolicTensor;
    const model = new Model({ inputs: [x, hf, hb], outputs: y });
    randomizeWeights(model, 120);
    await expectOnnxMatches(
      model,
      [randomTensor([2, 4, 2], 121), randomTensor([2, 3], 122), randomTensor([2, 3], 123)],
      'bidirectional initial states',
    );
  });
});

describe('exportOnnx: layers around the GRUs', () => {
  it('stacked GRUs after Masking, one of them backwards, masks passed along', async () => {
    const model = new Sequential([
      input({ shape: [null, 3] }),
      new Masking(),
      new GRU({ units: 5, returnSequences: true }),
      new GRU({ units: 4, returnSequences: true, goBackwards: true, resetAfter: false }),
      new Dropout({ rate: 0.5 }),
      new GRU({ units: 3 }),
      new Dense({ units: 2, activation: 'sigmoid' }),
    ]);
    randomizeWeights(model, 130);
    await expectOnnxMatches(model, [maskSteps(randomTensor([3, 6, 3], 131), MASKED)], 'stacked');
  });

  it('Dense with each translated activation, on [B,F] and [B,T,F]', async () => {
    let seed = 140;
    for (const activation of DENSE_ACTIVATION_NAMES) {
      for (const shape of [[4], [3, 4]]) {
        const model = new Sequential([input({ shape }), new Dense({ units: 5, activation })]);
        randomizeWeights(model, seed++, 2);
        await expectOnnxMatches(model, [randomTensor([2, ...shape], seed)], `Dense ${activation}`);
      }
    }
    const noBias = new Sequential([
      input({ shape: [4] }),
      new Dense({ units: 3, useBias: false, activation: 'hard_sigmoid' }),
    ]);
    randomizeWeights(noBias, 199, 2);
    await expectOnnxMatches(noBias, [randomTensor([2, 4], 198)], 'Dense useBias false');
  });

  it('Embedding: int32 and int64 ids, with and without maskZero; GRU dropout is inactive at inference', async () => {
    for (const maskZero of [false, true]) {
      const model = new Sequential([
        input({ shape: [null], dtype: 'int32' }),
        new Embedding({ inputDim: 7, outputDim: 3, maskZero }),
        new GRU({ units: 4, dropout: 0.3, recurrentDropout: 0.2, returnSequences: true }),
        new TimeDistributed({ layer: new Dense({ units: 3, activation: 'softmax' }) }),
      ]);
      randomizeWeights(model, 150);
      const ids = tensor([1, 2, 3, 0, 0, 0, 0, 4, 5, 6, 0, 3, 0, 0, 0, 0, 0, 0], [3, 6], 'int32');
      await expectOnnxMatches(model, [ids], `Embedding maskZero ${maskZero}`);
      await expectOnnxMatches(model, [ids], `Embedding maskZero ${maskZero} int64`, { integerInputs: 'int64' });
    }
  });

  it('TimeDistributed(Dropout) and a nested Sequential that receives the mask', async () => {
    const inner = new Sequential([
      new GRU({ units: 3, returnSequences: true }),
      new TimeDistributed({ layer: new Dropout({ rate: 0.2 }) }),
    ]);
    const x = input({ shape: [null, 2] });
    const y = new Dense({ units: 2 }).apply(inner.apply(new Masking().apply(x)) as SymbolicTensor);
    const model = new Model({ inputs: x, outputs: y });
    randomizeWeights(model, 160);
    await expectOnnxMatches(model, [maskSteps(randomTensor([3, 6, 2], 161), MASKED)], 'nested Sequential');
  });

  it('a functional model nested in a Sequential: the mask goes in, and out with returnSequences', async () => {
    const a = input({ shape: [null, 2] });
    const inner = new Model({
      inputs: a,
      outputs: new GRU({ units: 3, goBackwards: true, returnSequences: true }).apply(a) as SymbolicTensor,
    });
    const model = new Sequential([input({ shape: [null, 2] }), new Masking(), inner, new GRU({ units: 2 })]);
    randomizeWeights(model, 165);
    await expectOnnxMatches(model, [maskSteps(randomTensor([3, 6, 2], 166), MASKED)], 'nested functional');
  });

  it('a GRU shared by two inputs stores its weights once', async () => {
    const a = input({ shape: [null, 2] });
    const b = input({ shape: [null, 2] });
    const gru = new GRU({ units: 3 });
    const model = new Model({
      inputs: [a, b],
      outputs: [gru.apply(a) as SymbolicTensor, gru.apply(b) as SymbolicTensor],
    });
    randomizeWeights(model, 170);
    const graph = parse(exportOnnx(model)).graph!;
    expect(graph.node.filter((n) => n.opType === 'GRU')).toHaveLength(2);
    expect(graph.initializer.filter((t) => t.dims.length === 3)).toHaveLength(2); // one W, one R
    await expectOnnxMatches(model, [randomTensor([2, 4, 2], 171), randomTensor([2, 3, 2], 172)], 'shared GRU');
  });

  it('a mask passed explicitly as a model input', async () => {
    const x = input({ shape: [null, 2] });
    const m = input({ shape: [null] });
    const y = new GRU({ units: 3, returnSequences: true }).apply(x, { mask: m }) as SymbolicTensor;
    const model = new Model({ inputs: [x, m], outputs: y });
    randomizeWeights(model, 180);
    const mask = tensor([1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0], [3, 5]);
    await expectOnnxMatches(model, [randomTensor([3, 5, 2], 181), mask], 'explicit mask');
  });
});

describe('exportOnnx: the graph', () => {
  it('a GRU-only model is Transpose → GRU → Squeeze, inputs and outputs named and shaped for any batch and length', () => {
    const model = new Sequential([input({ shape: [null, 8], name: 'x' }), new GRU({ units: 16, name: 'h' })]);
    const m = parse(exportOnnx(model));
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 14]]);
    expect(opTypes(m)).toEqual(['Transpose', 'GRU', 'Squeeze', 'Identity']);
    const dims = (v: ValueInfoProto): (number | string)[] =>
      v.type!.value.case === 'tensorType'
        ? v.type!.value.value.shape!.dim.map((d) =>
            d.value.case === 'dimValue' ? Number(d.value.value) : String(d.value.value),
          )
        : [];
    expect(m.graph!.input.map((v) => [v.name, dims(v)])).toEqual([['x', ['batch', 'time', 8]]]);
    expect(m.graph!.output.map((v) => [v.name, dims(v)])).toEqual([['h', ['batch', 16]]]);
  });
});
