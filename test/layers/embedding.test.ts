/**
 * Embedding: lookups checked by hand on inputs of any rank, the gradient (scatter-add into the rows looked up,
 * repeated ids accumulating) against float64 finite differences, the zero mask, Keras 3's config key for key
 * (from the text_classifier model saved by Keras 3.15), and typed errors.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { Embedding } from '../../src/layers/embedding.js';
import { input } from '../../src/layers/input-layer.js';
import { maskOf } from '../../src/layers/mask.js';
import { RandomUniform } from '../../src/initializers/index.js';
import { Random } from '../../src/random/rng.js';
import { tensor } from '../../src/tensor/tensor.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { expectError } from '../helpers/errors.js';
import { fixtureLayerConfig } from '../helpers/layer-configs.js';

/** A built layer whose table row r is [r, r + 0.5, ..., r + 0.5·(outputDim − 1)]. */
function rowsLayer(inputDim: number, outputDim: number, maskZero = false): Embedding {
  const layer = new Embedding({ inputDim, outputDim, maskZero });
  layer.build([null, null]);
  const rows = Array.from({ length: inputDim }, (_, r) => Array.from({ length: outputDim }, (_, j) => r + 0.5 * j));
  layer.setWeights([tensor(rows)]);
  return layer;
}

describe('Embedding', () => {
  it('creates embeddings [inputDim, outputDim] from U(-0.05, 0.05) by default', () => {
    const layer = new Embedding({ inputDim: 40, outputDim: 8 });
    expect(layer.embeddingsInitializer).toBeInstanceOf(RandomUniform);
    layer.build([null, null]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['embeddings', [40, 8]]]);
    const values = [...layer.embeddings!.dataSync()];
    expect(values.every((v) => v >= -0.05 && v < 0.05)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(300);
    expect(layer.countParams()).toBe(320);
  });

  it('looks up rows for ids of any shape: [B,T] → [B,T,D], [B] → [B,D], [B,T,K] → [B,T,K,D]', () => {
    const layer = rowsLayer(6, 3);
    const y = layer.call(
      tensor(
        [
          [1, 0, 5],
          [2, 2, 4],
        ],
        undefined,
        'int32',
      ),
    );
    expect(y.shape).toEqual([2, 3, 3]);
    expect(y.arraySync()).toEqual([
      [
        [1, 1.5, 2],
        [0, 0.5, 1],
        [5, 5.5, 6],
      ],
      [
        [2, 2.5, 3],
        [2, 2.5, 3],
        [4, 4.5, 5],
      ],
    ]);
    expect(layer.call(tensor([3, 1], undefined, 'int32')).arraySync()).toEqual([
      [3, 3.5, 4],
      [1, 1.5, 2],
    ]);
    expect(layer.call(tensor([[[1, 2]]], undefined, 'int32')).shape).toEqual([1, 1, 2, 3]);
    expect(layer.computeOutputShape([null, 7])).toEqual([null, 7, 3]);
    expect(layer.computeOutputShape([null, null, 2])).toEqual([null, null, 2, 3]);
  });

  it('casts other dtypes to int32 as Keras does (truncating)', () => {
    const layer = rowsLayer(4, 2);
    expect(layer.call(tensor([[1.9, 3]])).arraySync()).toEqual([
      [
        [1, 1.5],
        [3, 3.5],
      ],
    ]);
  });

  it('outputs the mask inputs ≠ 0 with maskZero, and no mask without', () => {
    const ids = tensor(
      [
        [3, 1, 0, 0],
        [2, 0, 0, 0],
      ],
      undefined,
      'int32',
    );
    const masked = rowsLayer(4, 2, true);
    expect(masked.supportsMasking).toBe(true);
    const mask = masked.computeMask(ids, null)!;
    expect(mask.dtype).toBe('bool');
    expect(mask.arraySync()).toEqual([
      [true, true, false, false],
      [true, false, false, false],
    ]);
    // Row 0 is still looked up; the mask is what tells the next layers to skip those steps.
    expect(masked.call(ids).arraySync()).toEqual(rowsLayer(4, 2).call(ids).arraySync());
    const plain = rowsLayer(4, 2);
    expect(plain.supportsMasking).toBe(false);
    expect(plain.computeMask(ids, null)).toBeNull();
    expect(masked.producesMask([false])).toBe(true);
    expect(plain.producesMask([true])).toBe(false);
  });

  it('has the gather gradient: output gradients added into the rows looked up (float64 finite differences)', () => {
    const layer = new Embedding({ inputDim: 5, outputDim: 3, dtype: 'float64' });
    layer.build([null, null]);
    const table = randomFloat64(new Random(3), [5, 3]);
    // Repeated ids (2 three times) and an id never looked up (4): its gradient row must be zero.
    const ids = tensor(
      [
        [2, 0, 2],
        [3, 2, 1],
      ],
      undefined,
      'int32',
    );
    const report = checkGradients(
      (e) => {
        layer.embeddings = e!;
        return layer.call(ids);
      },
      [table],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
    expect([...report.analytic[0]!.slice(12, 15)]).toEqual([0, 0, 0]);
  });

  it('through apply: builds on first use and attaches the zero mask to its output (eager and symbolic)', () => {
    const layer = new Embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const y = layer.apply(tensor([[4, 2, 0]], undefined, 'int32'));
    expect(layer.built).toBe(true);
    expect(y.shape).toEqual([1, 3, 2]);
    expect(maskOf(y)!.arraySync()).toEqual([[true, true, false]]);
    const sym = layer.apply(input({ shape: [null], dtype: 'int32' }));
    expect(sym.shape).toEqual([null, null, 2]);
    expect(sym.dtype).toBe('float32');
    expect(sym.mask?.shape).toEqual([null, null]);
    const plain = new Embedding({ inputDim: 5, outputDim: 2 });
    expect(maskOf(plain.apply(tensor([[1, 0]], undefined, 'int32')))).toBeNull();
    expect(plain.apply(input({ shape: [3], dtype: 'int32' })).mask).toBeNull();
  });

  it('refuses ids outside [0, inputDim) with a typed error naming the inputs', () => {
    const layer = rowsLayer(4, 2);
    expectError(
      () => layer.call(tensor([[1, 4]], undefined, 'int32')),
      InvalidArgumentError,
      'inputs',
      '[0, 3]',
      '4 at flat index 1',
    );
    expectError(() => layer.call(tensor([[-1]], undefined, 'int32')), InvalidArgumentError, 'inputs', '-1');
  });

  it('rejects bad arguments with typed errors', () => {
    expectError(
      () => new Embedding({ inputDim: 0, outputDim: 2 }),
      InvalidArgumentError,
      'inputDim',
      'positive integer',
    );
    expectError(() => new Embedding({ inputDim: 3, outputDim: 1.5 }), InvalidArgumentError, 'outputDim', '1.5');
    expectError(
      () => new Embedding({ inputDim: 3, outputDim: 2, maskZero: 1 as unknown as boolean }),
      InvalidArgumentError,
      'maskZero',
    );
    expectError(() => new Embedding(null as never), InvalidArgumentError, 'args');
  });
});

describe('Embedding Keras config', () => {
  const keras = fixtureLayerConfig('model-text_classifier', 'Embedding');

  it('writes Keras 3.15 configs key for key and reads them back', () => {
    const layer = new Embedding({ inputDim: 40, outputDim: 8, maskZero: true, name: 'embedding' });
    expect(layer.getConfig()).toEqual(keras);
    expect(Object.keys(layer.getConfig())).toEqual(Object.keys(keras));
    const back = Embedding.fromConfig(keras);
    expect(back.getConfig()).toEqual(keras);
    expect(Embedding.fromConfig({ module: 'keras.layers', class_name: 'Embedding', config: keras }).maskZero).toBe(
      true,
    );
  });

  it('keeps the base-config position of activity_regularizer and round-trips regularizers and constraints', () => {
    const layer = new Embedding({
      inputDim: 3,
      outputDim: 2,
      activityRegularizer: 'l2',
      embeddingsRegularizer: 'l1',
      embeddingsConstraint: 'non_neg',
      embeddingsInitializer: 'glorot_uniform',
    });
    const config = layer.getConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'activity_regularizer',
      'input_dim',
      'output_dim',
      'embeddings_initializer',
      'embeddings_regularizer',
      'embeddings_constraint',
      'mask_zero',
      'quantization_config',
    ]);
    expect(Embedding.fromConfig(config).getConfig()).toEqual(config);
  });

  it('reads Keras 2 configs (input_length, batch_input_shape) and null LoRA keys; refuses LoRA, quantization and unknown keys', () => {
    const keras2 = {
      name: 'emb',
      trainable: true,
      dtype: 'float32',
      batch_input_shape: [null, 10],
      input_dim: 7,
      output_dim: 3,
      embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
      embeddings_regularizer: null,
      activity_regularizer: null,
      embeddings_constraint: null,
      mask_zero: false,
      input_length: 10,
    };
    const layer = Embedding.fromConfig(keras2);
    expect([layer.inputDim, layer.outputDim, layer.maskZero]).toEqual([7, 3, false]);
    expect(Embedding.fromConfig({ ...keras, lora_rank: null, lora_alpha: null }).inputDim).toBe(40);
    expectError(
      () => Embedding.fromConfig({ ...keras, lora_rank: 4 }),
      InvalidArgumentError,
      'config.lora_rank',
      'LoRA',
    );
    expectError(
      () => Embedding.fromConfig({ ...keras, quantization_config: { mode: 'int8' } }),
      InvalidArgumentError,
      'config.quantization_config',
    );
    expectError(() => Embedding.fromConfig({ ...keras, vocabulary: 3 }), InvalidArgumentError, 'config.vocabulary');
  });
});
