/**
 * Done when: Attention ('dot' and 'concat', with and without its scale) and AdditiveAttention (with and
 * without its scale) on [query, value] and [query, value, key] run in onnxruntime-node within 1e-5 of
 * keras-gru's predict, for sequence lengths the model does not fix: with the query's and the value's masks
 * (from Masking), with useCausalMask (Tq ≠ Tv included), and as the self-attention of a GRU's sequence; and the
 * calls the export does not translate (returnAttentionScores, masks passed explicitly) are refused with a typed
 * error naming the layer.
 */
import { afterAll, describe, it } from 'vitest';
import { AdditiveAttention, Attention } from '../../src/layers/attention.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Masking } from '../../src/layers/masking.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Model } from '../../src/models/model.js';
import { UnsupportedLayerError, UnsupportedMaskError } from '../../src/onnx/errors.js';
import { exportOnnx } from '../../src/onnx/index.js';
import { expectError } from '../helpers/errors.js';
import { expectOnnxMatches, maskSteps, randomizeWeights, randomTensor } from './ort.js';

const worstByLayer: Record<string, number> = {};
afterAll(() => console.info('worst |Δ| vs keras-gru:', JSON.stringify(worstByLayer)));

const makers = {
  'Attention dot': () => new Attention(),
  'Attention dot scaled': () => new Attention({ useScale: true }),
  'Attention concat': () => new Attention({ scoreMode: 'concat' }),
  'Attention concat scaled': () => new Attention({ scoreMode: 'concat', useScale: true, dropout: 0.3 }),
  AdditiveAttention: () => new AdditiveAttention(),
  'AdditiveAttention unscaled': () => new AdditiveAttention({ useScale: false }),
};

interface Case {
  withKey: boolean;
  masked: boolean;
  causal: boolean;
}

async function check(name: keyof typeof makers, c: Case, seed: number): Promise<void> {
  const q = input({ shape: [null, 3] });
  // Without a key the value is the key, so it has the query's features.
  const dv = c.withKey ? 2 : 3;
  const v = input({ shape: [null, dv] });
  const k = input({ shape: [null, 3] });
  const inputs = c.withKey ? [q, v, k] : [q, v];
  const fed = c.masked ? inputs.map((t) => new Masking().apply(t)) : inputs;
  const layer = makers[name]();
  const options = c.causal ? { useCausalMask: true } : {};
  const model = new Model({ inputs, outputs: layer.apply(fed, options) as SymbolicTensor });
  randomizeWeights(model, seed, 1.5);
  const label = `${name} ${JSON.stringify(c)}`;
  for (const [tq, tv] of [
    [5, 7],
    [6, 4],
    [1, 3],
  ] as const) {
    const masks: Record<number, [number, number][]> = {
      0: [
        [0, tq - 1],
        [1, 0],
      ],
      // Value rows right-padded, with a hole; never fully masked.
      1: [
        [0, tv - 1],
        [1, Math.min(1, tv - 2)],
      ],
      2: [[1, tv - 1]],
    };
    const data = [
      randomTensor([2, tq, 3], seed + 1),
      randomTensor([2, tv, dv], seed + 2),
      randomTensor([2, tv, 3], seed + 3),
    ].slice(0, inputs.length);
    const xs = c.masked ? data.map((t, i) => maskSteps(t, masks[i]!)) : data;
    const deviation = await expectOnnxMatches(model, xs, `${label} Tq=${tq} Tv=${tv}`);
    worstByLayer[name] = Math.max(worstByLayer[name] ?? 0, deviation);
  }
}

describe('exportOnnx: Attention and AdditiveAttention', () => {
  const cases: Case[] = [
    { withKey: false, masked: false, causal: false },
    { withKey: true, masked: false, causal: false },
    { withKey: false, masked: true, causal: false },
    { withKey: true, masked: true, causal: false },
    { withKey: false, masked: false, causal: true },
    { withKey: true, masked: true, causal: true },
  ];
  let seed = 200;
  for (const name of Object.keys(makers) as (keyof typeof makers)[]) {
    it.each(cases)(`${name} %o`, async (c) => {
      await check(name, c, (seed += 10));
    });
  }

  it('self-attention over a masked GRU sequence, causal, its output mask reaching a second GRU', async () => {
    const x = input({ shape: [null, 3] });
    const h = new GRU({ units: 4, returnSequences: true }).apply(new Masking().apply(x)) as SymbolicTensor;
    const a = new Attention({ useScale: true }).apply([h, h], { useCausalMask: true });
    const y = new GRU({ units: 2 }).apply(a) as SymbolicTensor;
    const model = new Model({ inputs: x, outputs: y });
    randomizeWeights(model, 300);
    const data = maskSteps(randomTensor([3, 6, 3], 301), [
      [0, 4],
      [0, 5],
      [1, 0],
      [2, 3],
    ]);
    const deviation = await expectOnnxMatches(model, [data], 'self-attention');
    worstByLayer.Attention = Math.max(worstByLayer.Attention ?? 0, deviation);
  });
});

describe('exportOnnx refuses attention calls it does not translate', () => {
  it('returnAttentionScores, naming the layer', () => {
    const q = input({ shape: [4, 3] });
    const v = input({ shape: [5, 3] });
    for (const layer of [new Attention({ name: 'att' }), new AdditiveAttention({ name: 'add_att' })]) {
      const outputs = layer.apply([q, v], { returnAttentionScores: true });
      expectError(
        () => exportOnnx(new Model({ inputs: [q, v], outputs })),
        UnsupportedLayerError,
        `${layer.className} '${layer.name}'`,
        'returnAttentionScores',
      );
    }
  });

  it('masks passed explicitly, naming the layer', () => {
    const q = input({ shape: [4, 3] });
    const v = input({ shape: [5, 3] });
    const qm = input({ shape: [4], dtype: 'bool' });
    const vm = input({ shape: [5], dtype: 'bool' });
    const listed = new Attention({ name: 'listed' }).apply([q, v], { mask: [qm, vm] });
    expectError(
      () => exportOnnx(new Model({ inputs: [q, v, qm, vm], outputs: listed })),
      UnsupportedMaskError,
      "Attention 'listed'",
    );
    const single = new AdditiveAttention({ name: 'single' }).apply([q, v], { mask: qm });
    expectError(
      () => exportOnnx(new Model({ inputs: [q, v, qm], outputs: single })),
      UnsupportedMaskError,
      "AdditiveAttention 'single'",
    );
  });
});
