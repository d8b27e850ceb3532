/**
 * Done when: Attention and AdditiveAttention take Keras 3's call arguments as the call options `useCausalMask`
 * (the lower-triangular mask [1, Tq, Tv], and-ed with the value mask, −1e9 before the softmax) and
 * `returnAttentionScores` (`[output, weights]`, weights after dropout in training), match float64 loops written
 * here from Keras's definition, pass gradients (finite differences), type `apply` as a pair when the scores
 * are asked for, work in a functional graph with two outputs, and are written and read as Keras writes the
 * node kwargs (`use_causal_mask`, `return_attention_scores`).
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { FileFormatError } from '../../src/io/errors.js';
import { loadModel } from '../../src/keras/load-model.js';
import { modelFromKerasConfig, serializeModel } from '../../src/keras/model-config.js';
import { AdditiveAttention, Attention } from '../../src/layers/attention.js';
import { Dense } from '../../src/layers/dense.js';
import { input } from '../../src/layers/input-layer.js';
import { maskOf } from '../../src/layers/mask.js';
import { Masking } from '../../src/layers/masking.js';
import { Any, NotEqual } from '../../src/layers/operations.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Model } from '../../src/models/model.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import type { Variable } from '../../src/tensor/variable.js';
import { expectError } from '../helpers/errors.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { expectTensor, f64 } from '../helpers/tensors.js';

const bool = (v: number[][]): Tensor => tensor(v, undefined, 'bool');

interface Reference {
  output: number[];
  weights: number[];
}

/**
 * Keras's dot-product attention in plain float64 loops over row-major arrays: q [B,Tq,D], k [B,Tv,D],
 * v [B,Tv,Dv]; a score is masked (−1e9) where the value mask is 0 or, when causal, where j > i.
 */
function referenceDot(
  [b, tq, tv, d, dv]: [number, number, number, number, number],
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  valueMask: number[][] | null,
  causal: boolean,
): Reference {
  const output: number[] = [];
  const weights: number[] = [];
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < tq; i++) {
      const scores: number[] = [];
      for (let j = 0; j < tv; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += q[(n * tq + i) * d + c]! * k[(n * tv + j) * d + c]!;
        const kept = (valueMask === null || valueMask[n]![j] === 1) && (!causal || j <= i);
        scores.push(kept ? s : s - 1e9);
      }
      const top = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - top));
      const total = e.reduce((x, y) => x + y, 0);
      const w = e.map((x) => x / total);
      weights.push(...w);
      for (let c = 0; c < dv; c++) {
        let o = 0;
        for (let j = 0; j < tv; j++) o += w[j]! * v[(n * tv + j) * dv + c]!;
        output.push(o);
      }
    }
  }
  return { output, weights };
}

const values = (t: Tensor): number[] => Array.from(t.dataSync());

describe('useCausalMask', () => {
  it('self-attention over [1], [2]: step 0 sees only itself, step 1 both (hand-derived)', () => {
    const x = f64([1, 2], [1, 2, 1]);
    // Scores q·k: row 0 [1, 2] (j = 1 masked), row 1 [2, 4].
    const w1 = Math.exp(4) / (Math.exp(2) + Math.exp(4));
    const [out, weights] = new Attention({ dtype: 'float64' }).apply([x, x], {
      useCausalMask: true,
      returnAttentionScores: true,
    });
    expectTensor(out, [1, 2, 1], [1, 1 - w1 + 2 * w1], 'float64');
    expectTensor(weights, [1, 2, 2], [1, 0, 1 - w1, w1], 'float64');
    // Without the causal mask step 0 attends to step 1 as well.
    const w0 = Math.exp(2) / (Math.exp(1) + Math.exp(2));
    expectTensor(new Attention({ dtype: 'float64' }).apply([x, x]), [1, 2, 1], [1 + w0, 1 + w1], 'float64');
  });

  it.each([
    ['square, no value mask', 4, null],
    ['Tq < Tv (the mask is the top-left corner of the triangle)', 3, null],
    [
      'and-ed with a value mask',
      4,
      [
        [1, 1, 0, 1],
        [0, 1, 1, 1],
      ],
    ],
  ] as const)('Attention dot, %s, matches float64 loops', (_name, tq, mask) => {
    const rng = new Random(5);
    const [b, tv, d, dv] = [2, 4, 3, 2];
    const q = randomFloat64(rng, [b, tq, d]);
    const k = randomFloat64(rng, [b, tv, d]);
    const v = randomFloat64(rng, [b, tv, dv]);
    const valueMask = mask === null ? null : mask.map((row) => [...row]);
    const options = {
      useCausalMask: true,
      returnAttentionScores: true,
      ...(valueMask === null ? {} : { mask: [null, bool(valueMask)] }),
    } as const;
    const [out, weights] = new Attention({ dtype: 'float64' }).apply([q, v, k], options);
    const expected = referenceDot([b, tq, tv, d, dv], q.dataSync(), k.dataSync(), v.dataSync(), valueMask, true);
    values(out).forEach((o, i) => expect(o).toBeCloseTo(expected.output[i]!, 12));
    values(weights).forEach((w, i) => expect(w).toBeCloseTo(expected.weights[i]!, 12));
    // The masked weights are exactly 0 (exp(−1e9) underflows), so the pattern is visible: row i stops at i.
    // (A row with every step masked — batch 1, row 0 of the value-mask case — is the softmax of scores all
    // shifted by −1e9, as in Keras: the loops above check it.)
    const w = values(weights);
    for (let n = 0; n < b; n++)
      for (let i = 0; i < tq; i++) {
        const anyKept = valueMask === null || valueMask[n]!.slice(0, i + 1).includes(1);
        if (anyKept) for (let j = i + 1; j < tv; j++) expect(w[(n * tq + i) * tv + j]).toBe(0);
      }
  });

  it('AdditiveAttention: the same mask on Σ_d scale[d]·tanh(q[d] + k[d])', () => {
    const layer = new AdditiveAttention({ dtype: 'float64' });
    const q = f64([0.5, -1, 1, 0.25], [1, 2, 2]);
    const v = f64([1, 2, 3, 4, 5, 6], [1, 3, 2]);
    layer.apply([q, v]);
    layer.setWeights([f64([1, 0.5])]);
    const [out, weights] = layer.apply([q, v], { useCausalMask: true, returnAttentionScores: true });
    const score = (i: number, j: number): number =>
      [0, 1].reduce((s, c) => s + [1, 0.5][c]! * Math.tanh(q.dataSync()[i * 2 + c]! + v.dataSync()[j * 2 + c]!), 0);
    const e = [Math.exp(score(1, 0)), Math.exp(score(1, 1))];
    const w = [e[0]! / (e[0]! + e[1]!), e[1]! / (e[0]! + e[1]!)];
    expectTensor(weights, [1, 2, 3], [1, 0, 0, w[0]!, w[1]!, 0], 'float64');
    expectTensor(out, [1, 2, 2], [1, 2, w[0]! * 1 + w[1]! * 3, w[0]! * 2 + w[1]! * 4], 'float64');
  });

  it('options must be booleans (typed errors naming them)', () => {
    const x = f64([1, 2], [1, 2, 1]);
    expectError(
      () => new Attention().apply([x, x], { useCausalMask: 1 as unknown as boolean }),
      InvalidArgumentError,
      'useCausalMask',
    );
    expectError(
      () =>
        new Attention().apply([input({ shape: [2, 1] }), input({ shape: [2, 1] })], {
          returnAttentionScores: 'yes' as unknown as boolean,
        }),
      InvalidArgumentError,
      'returnAttentionScores',
    );
  });
});

describe('returnAttentionScores', () => {
  it('returns the softmax weights; off (or left out) gives the output alone', () => {
    const q = f64([1, 0], [1, 1, 2]);
    const v = f64([1, 2, 3, 4], [1, 2, 2]);
    const layer = new Attention({ dtype: 'float64' });
    const w1 = 1 / (1 + Math.exp(-2));
    const [out, weights] = layer.apply([q, v], { returnAttentionScores: true });
    expectTensor(weights, [1, 1, 2], [1 - w1, w1], 'float64');
    expect(values(out)).toEqual(values(layer.apply([q, v])));
    expect(values(layer.apply([q, v], { returnAttentionScores: false }))).toEqual(values(out));
    // A flag known only at run time gives either form.
    const flag: boolean = values(q)[0] === 1;
    const either = layer.apply([q, v], { returnAttentionScores: flag });
    expect(Array.isArray(either)).toBe(true);
    // @ts-expect-error: with the scores, apply returns a pair, not one tensor.
    const notOne: Tensor = layer.apply([q, v], { returnAttentionScores: true });
    expect(Array.isArray(notOne)).toBe(true);
  });

  it('in training the weights are those after dropout (kept ones scaled by 1/(1 − rate)), and output = weights · value', () => {
    const rng = new Random(8);
    const q = randomFloat64(rng, [2, 3, 2]);
    const v = randomFloat64(rng, [2, 4, 2]);
    const layer = new Attention({ dropout: 0.5, seed: 3, dtype: 'float64' });
    const [out, weights] = layer.apply([q, v], { returnAttentionScores: true, training: true });
    const [, plain] = new Attention({ dtype: 'float64' }).apply([q, v], { returnAttentionScores: true });
    const w = values(weights);
    const p = values(plain);
    expect(w.some((x) => x === 0)).toBe(true);
    w.forEach((x, i) => {
      if (x !== 0) expect(x).toBeCloseTo(2 * p[i]!, 12);
    });
    const vv = values(v);
    const expected: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < 3; i++)
        for (let c = 0; c < 2; c++) {
          let o = 0;
          for (let j = 0; j < 4; j++) o += w[(n * 3 + i) * 4 + j]! * vv[(n * 4 + j) * 2 + c]!;
          expected.push(o);
        }
    values(out).forEach((o, i) => expect(o).toBeCloseTo(expected[i]!, 12));
  });
});

describe('gradients with both options (float64 finite differences)', () => {
  it.each([
    ['Attention dot, scaled', () => new Attention({ useScale: true, dtype: 'float64' })],
    ['AdditiveAttention', () => new AdditiveAttention({ dtype: 'float64' })],
  ] as const)('%s: query, value, key and scale through output and weights', (_name, make) => {
    const rng = new Random(31);
    const layer = make();
    layer.build([
      [null, 3, 2],
      [null, 4, 5],
      [null, 4, 2],
    ]);
    const masks = [
      bool([
        [1, 1, 0],
        [1, 1, 1],
      ]),
      bool([
        [1, 0, 1, 1],
        [1, 1, 1, 0],
      ]),
    ];
    const report = checkGradients(
      (q, v, k, s) => {
        layer.scale = s as Variable;
        return layer.call([q!, v!, k!], { mask: masks, useCausalMask: true, returnAttentionScores: true });
      },
      [
        randomFloat64(rng, [2, 3, 2]),
        randomFloat64(rng, [2, 4, 5]),
        randomFloat64(rng, [2, 4, 2]),
        randomFloat64(rng, [...layer.scale!.shape]),
      ],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });
});

type NodeJSON = { args: unknown[]; kwargs: Record<string, unknown> };
type LayerJSON = { name: string; class_name: string; inbound_nodes: NodeJSON[] };

/** A decoder-style model: causal self-attention over `seq`, attention scores as a second output. */
function causalModel(): Model {
  const seq = input({ shape: [5, 3], name: 'seq' });
  const [attended, scores] = new Attention({ useScale: true, name: 'self_attention' }).apply([seq, seq], {
    useCausalMask: true,
    returnAttentionScores: true,
  });
  expect(attended.shape).toEqual([null, 5, 3]);
  expect(scores.shape).toEqual([null, 5, 5]);
  const head = new Dense({ units: 2, name: 'head' }).apply(attended);
  return new Model({ inputs: seq, outputs: [head, scores], name: 'decoder' });
}

describe('in a functional model', () => {
  const x = (): Tensor => randomFloat64(new Random(12), [3, 5, 3]);

  it('two outputs; predictions follow the causal mask; node kwargs as Keras writes them', () => {
    const model = causalModel();
    const [, scores] = model.predict(x()) as Tensor[];
    const w = values(scores!);
    for (let n = 0; n < 3; n++)
      for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) expect(w[(n * 5 + i) * 5 + j]).toBe(0);
    const config = serializeModel(model).config;
    const entry = (config.layers as LayerJSON[]).find((l) => l.name === 'self_attention')!;
    const seqRef = {
      class_name: '__keras_tensor__',
      config: { shape: [null, 5, 3], dtype: 'float32', keras_history: ['seq', 0, 0] },
    };
    // Keras's __call__ adds mask = the structure of the inputs' masks: [None, None] for [query, value].
    expect(entry.inbound_nodes).toEqual([
      {
        args: [[seqRef, seqRef]],
        kwargs: { use_causal_mask: true, return_attention_scores: true, mask: [null, null] },
      },
    ]);
    expect(config.output_layers).toEqual([
      ['head', 0, 0],
      ['self_attention', 0, 1],
    ]);
  });

  it('saved to .keras and loaded back: the same config and the same predictions', async () => {
    const model = causalModel();
    const again = await loadModel(await model.toBytes());
    expect(serializeModel(again)).toEqual(serializeModel(model));
    const before = model.predict(x()) as Tensor[];
    const after = again.predict(x()) as Tensor[];
    expect(after.map(values)).toEqual(before.map(values));
  });

  it('reads the kwargs from a config; an unknown kwarg, or one of another layer, is a FileFormatError', () => {
    const config = serializeModel(causalModel());
    const copy = modelFromKerasConfig(structuredClone(config));
    expect(serializeModel(copy).config.layers).toEqual(config.config.layers);
    const [, scores] = copy.predict(x()) as Tensor[];
    expect(values(scores!)[1]).toBe(0);
    const withKwarg = (layer: string, kwargs: Record<string, unknown>): unknown => {
      const bad = structuredClone(config);
      const entry = (bad.config.layers as LayerJSON[]).find((l) => l.name === layer)!;
      entry.inbound_nodes[0]!.kwargs = { ...entry.inbound_nodes[0]!.kwargs, ...kwargs };
      return bad;
    };
    expectError(() => modelFromKerasConfig(withKwarg('self_attention', { foo: 1 })), FileFormatError, 'foo');
    expectError(() => modelFromKerasConfig(withKwarg('head', { use_causal_mask: true })), FileFormatError, 'head');
    expectError(
      () => modelFromKerasConfig(withKwarg('self_attention', { use_causal_mask: 'yes' })),
      FileFormatError,
      'use_causal_mask',
    );
    // None (null) is the Python default: the option left out, so one output only, and the graph fails.
    const noScores = withKwarg('self_attention', { return_attention_scores: null });
    expectError(() => modelFromKerasConfig(noScores), FileFormatError, 'self_attention');
  });
});

it('a symbolic call without the options records none (no kwargs besides the mask)', () => {
  const a = input({ shape: [2, 3] });
  const b = input({ shape: [4, 3] });
  const out = new AdditiveAttention({ name: 'plain' }).apply([a, b]) as SymbolicTensor;
  const config = serializeModel(new Model({ inputs: [a, b], outputs: out })).config;
  const entry = (config.layers as LayerJSON[]).find((l) => l.name === 'plain')!;
  expect(entry.inbound_nodes[0]!.kwargs).toEqual({ mask: [null, null] });
});

describe('a mask per input, as Keras writes `mask` for a call on [query, value]', () => {
  it('explicit masks [null, mask] and [mask, mask] are honored per input, and written and read as a list', async () => {
    const rng = new Random(51);
    const data = Array.from({ length: 2 * 5 * 3 }, () => rng.normal());
    // Padding at the end of sample 1 (zeros), which Masking and the traced NotEqual/Any turn into the mask.
    for (let t = 3; t < 5; t++) for (let c = 0; c < 3; c++) data[(5 + t) * 3 + c] = 0;
    const x = tensor(data, [2, 5, 3]);
    const seqIn = input({ shape: [5, 3], name: 'seq' });
    const masked = new Masking({ name: 'masking' }).apply(seqIn);
    const attention = new Attention({ name: 'att' });
    const implicit = new Model({ inputs: seqIn, outputs: attention.apply([masked, masked]) });
    const mask = new Any({ name: 'any', axis: -1 }).applyOp(
      new NotEqual({ name: 'not_equal' }).applyOp(seqIn, 0),
    ) as SymbolicTensor;
    const explicit = new Model({
      inputs: seqIn,
      outputs: attention.apply([seqIn, seqIn], { mask: [null, mask] }),
    });
    const reference = values(new Attention().apply([x, x], { mask: [null, maskOf(new Masking().apply(x))!] }));
    expect(values(explicit.predict(x) as Tensor)).toEqual(reference);
    // [mask, mask] is what the masked inputs carry: the query mask zeroes padded rows as well.
    const both = new Model({ inputs: seqIn, outputs: attention.apply([seqIn, seqIn], { mask: [mask, mask] }) });
    expect(values(both.predict(x) as Tensor)).toEqual(values(implicit.predict(x) as Tensor));
    expect(values(both.predict(x) as Tensor)).not.toEqual(reference);
    const config = serializeModel(explicit).config;
    const entry = (config.layers as LayerJSON[]).find((l) => l.name === 'att')!;
    expect(entry.inbound_nodes[0]!.kwargs).toEqual({
      mask: [
        null,
        { class_name: '__keras_tensor__', config: { shape: [null, 5], dtype: 'bool', keras_history: ['any', 0, 0] } },
      ],
    });
    const again = await loadModel(await explicit.toBytes());
    expect(values(again.predict(x) as Tensor)).toEqual(reference);
    expectError(
      () => attention.apply([seqIn, seqIn], { mask: [mask] }),
      InvalidArgumentError,
      'a list of 2 symbolic masks',
    );
  });
});
