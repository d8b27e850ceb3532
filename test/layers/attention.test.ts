/**
 * Done when: Attention ('dot', 'concat', useScale) and AdditiveAttention compute Keras 3's documented scores,
 * softmax and masking (value mask: −1e9 before the softmax; query mask: zeroed rows, and the output's mask),
 * on hand-derived cases; pass gradients to query, value, key and scale (float64 finite differences); write
 * Keras's configs; and attention over masked GRU encoder outputs trains and comes back from .keras bytes.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { deserializeLayer } from '../../src/keras/layer-classes.js';
import { serializeLayer } from '../../src/keras/layer-serialization.js';
import { loadModel } from '../../src/keras/load-model.js';
import { AdditiveAttention, Attention } from '../../src/layers/attention.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { attachMask, maskOf } from '../../src/layers/mask.js';
import { Masking } from '../../src/layers/masking.js';
import { GlobalAveragePooling1D } from '../../src/layers/pooling.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Model } from '../../src/models/model.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import type { Variable } from '../../src/tensor/variable.js';
import { expectError } from '../helpers/errors.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { expectTensor, f32 } from '../helpers/tensors.js';

const bool = (v: number[][]): Tensor => tensor(v, undefined, 'bool');
const query = (): Tensor => f32([1, 0], [1, 1, 2]);
const value = (): Tensor => f32([1, 2, 3, 4], [1, 2, 2]);
/** softmax([a, b]) applied to the value rows [1, 2] and [3, 4]. */
const mix = (a: number, b: number): number[] => {
  const w1 = 1 / (1 + Math.exp(a - b));
  return [1 + 2 * w1, 2 + 2 * w1];
};

describe('Attention', () => {
  it("'dot': scores q·kᵀ = [1, 3] (key = value)", () => {
    expectTensor(new Attention().apply([query(), value()]), [1, 1, 2], mix(1, 3));
    // An explicit key: scores [0, 5].
    expectTensor(new Attention().apply([query(), value(), f32([0, 1, 5, 1], [1, 2, 2])]), [1, 1, 2], mix(0, 5));
  });

  it('useScale multiplies by the scalar weight scale; concat sums tanh(q + k) times concat_score_weight', () => {
    const scaled = new Attention({ useScale: true });
    scaled.apply([query(), value()]);
    expect(scaled.weights.map((w) => [w.name, w.shape])).toEqual([['scale', []]]);
    scaled.setWeights([tensor(2)]);
    expectTensor(scaled.apply([query(), value()]), [1, 1, 2], mix(2, 6));
    const concat = new Attention({ scoreMode: 'concat' });
    concat.apply([query(), value()]);
    expect(concat.weights.map((w) => w.name)).toEqual(['concat_score_weight']);
    concat.setWeights([tensor(0.5)]);
    expectTensor(concat.apply([query(), value()]), [1, 1, 2], mix(Math.tanh(2), Math.tanh(4)));
    expectError(() => new Attention({ scoreMode: 'general' as never }), InvalidArgumentError, 'scoreMode');
  });

  it('a value mask removes steps from the softmax; a query mask zeroes rows and is the output mask', () => {
    const v = attachMask(value(), bool([[1, 0]]));
    expectTensor(new Attention().apply([query(), v]), [1, 1, 2], [1, 2]);
    const q = attachMask(f32([1, 0, 0, 1], [1, 2, 2]), bool([[1, 0]]));
    const out = new Attention().apply([q, value()]);
    expectTensor(out, [1, 2, 2], [...mix(1, 3), 0, 0]);
    expect(maskOf(out)!.arraySync()).toEqual([[true, false]]);
    // Explicit masks as Keras's list [query_mask, value_mask].
    expectTensor(new Attention().apply([query(), value()], { mask: [null, bool([[0, 1]])] }), [1, 1, 2], [3, 4]);
  });

  it('shapes: output [B, Tq, Dv]; wrong inputs are typed errors', () => {
    const out = new Attention().apply([input({ shape: [4, 3] }), input({ shape: [6, 3] })]) as SymbolicTensor;
    expect(out.shape).toEqual([null, 4, 3]);
    expectError(() => new Attention().apply([query(), f32([1, 2, 3], [1, 1, 3])]), ShapeError, 'query');
    expectError(() => new Attention().apply([query()]), ShapeError, 'inputs');
  });

  it('dropout drops attention weights in training only (seeded)', () => {
    const layer = new Attention({ dropout: 0.5, seed: 1 });
    const x = f32([1, 0, 0, 1, 1, 1], [1, 3, 2]);
    expectTensor(layer.apply([x, value()]), [1, 3, 2], Array.from(new Attention().apply([x, value()]).values));
    const a = new Attention({ dropout: 0.5, seed: 1 }).apply([x, value()], { training: true });
    const b = new Attention({ dropout: 0.5, seed: 1 }).apply([x, value()], { training: true });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(Array.from(a.values)).not.toEqual(Array.from(layer.apply([x, value()]).values));
  });
});

describe('AdditiveAttention', () => {
  it('scores Σ_d scale[d]·tanh(q[d] + k[d]); scale [D] by default', () => {
    const layer = new AdditiveAttention();
    layer.apply([query(), value()]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['scale', [2]]]);
    layer.setWeights([f32([1, 0.5])]);
    expectTensor(layer.apply([query(), value()]), [1, 1, 2], mix(1.5 * Math.tanh(2), 1.5 * Math.tanh(4)));
    const plain = new AdditiveAttention({ useScale: false });
    expectTensor(plain.apply([query(), value()]), [1, 1, 2], mix(2 * Math.tanh(2), 2 * Math.tanh(4)));
    expect(plain.weights).toEqual([]);
  });
});

describe('gradients (float64 finite differences)', () => {
  const masks = [
    bool([
      [1, 1, 0],
      [1, 1, 1],
    ]),
    bool([
      [1, 1, 1, 0],
      [0, 1, 1, 1],
    ]),
  ];
  it.each([
    ['Attention dot, scaled', () => new Attention({ useScale: true, dtype: 'float64' })],
    ['Attention concat, scaled', () => new Attention({ useScale: true, scoreMode: 'concat', dtype: 'float64' })],
    ['AdditiveAttention', () => new AdditiveAttention({ dtype: 'float64' })],
  ] as const)('%s: query, value, key, scale, with masks', (_name, make) => {
    const rng = new Random(21);
    const layer = make();
    layer.build([
      [null, 3, 2],
      [null, 4, 5],
      [null, 4, 2],
    ]);
    const report = checkGradients(
      (q, v, k, s) => {
        layer.scale = s as Variable;
        return layer.call([q!, v!, k!], { mask: masks });
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

describe('Keras configs', () => {
  it.each([
    [new Attention({ name: 'att', useScale: true }), { use_scale: true, score_mode: 'dot', dropout: 0, seed: null }],
    [new AdditiveAttention({ name: 'add_att', dropout: 0.1, seed: 4 }), { use_scale: true, dropout: 0.1, seed: 4 }],
  ] as const)('%o', (layer, own) => {
    layer.apply([input({ shape: [4, 3] }), input({ shape: [5, 3] })]);
    const json = serializeLayer(layer);
    expect(Object.keys(json.config)).toEqual(['name', 'trainable', 'dtype', ...Object.keys(own)]);
    expect(json.config).toMatchObject(own);
    expect(json.build_config).toEqual({
      input_shape: [
        [null, 4, 3],
        [null, 5, 3],
      ],
    });
    const copy = deserializeLayer(json);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.weights.map((w) => w.shape)).toEqual(layer.weights.map((w) => w.shape));
  });
});

it('attention over masked GRU encoder outputs trains, and comes back from its .keras bytes', async () => {
  const rng = new Random(22);
  const data = Array.from({ length: 6 * 5 * 2 }, () => rng.normal());
  // Padding at the end of each sequence (zeros), which Masking turns into the mask.
  for (let b = 0; b < 6; b++)
    for (let t = 5 - (b % 3); t < 5; t++) data[(b * 5 + t) * 2] = data[(b * 5 + t) * 2 + 1] = 0;
  const x = tensor(data, [6, 5, 2]);
  const y = tensor(
    Array.from({ length: 6 }, () => rng.normal()),
    [6, 1],
  );
  const seqIn = input({ shape: [5, 2] });
  const encoded = new GRU({ units: 4, returnSequences: true }).apply(new Masking().apply(seqIn) as SymbolicTensor);
  const attended = new AdditiveAttention().apply([encoded as SymbolicTensor, encoded as SymbolicTensor]);
  const pooled = new GlobalAveragePooling1D().apply(
    new Attention({ useScale: true }).apply([attended, encoded as SymbolicTensor]),
  );
  const model = new Model({ inputs: seqIn, outputs: new Dense({ units: 1 }).apply(pooled) });
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const history = await model.fit(x, y, { epochs: 5, verbose: 0 });
  const losses = history.history.loss as number[];
  expect(losses[4]!).toBeLessThan(losses[0]!);
  const again = await loadModel(await model.toBytes());
  expect(Array.from((again.predict(x) as Tensor).dataSync())).toEqual(
    Array.from((model.predict(x) as Tensor).dataSync()),
  );
});
