/**
 * Done when: Conv1D, MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D and GlobalMaxPooling1D compute
 * what Keras 3's documented semantics give (hand-derived cases for valid / same / causal padding, strides,
 * dilation, groups, channels_first, masks), pass gradients (float64 finite differences, 1e-6 of the largest),
 * write Keras's configs key for key (pooling layers built at init: no build_config), keep Keras's kernel layout
 * [kernel_size, in, filters], and a Conv1D → pooling → GRU model trains and comes back from its .keras bytes.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { deserializeLayer } from '../../src/keras/layer-classes.js';
import { serializeLayer } from '../../src/keras/layer-serialization.js';
import { loadModel } from '../../src/keras/load-model.js';
import { Conv1D, type Conv1DArgs } from '../../src/layers/convolution.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { attachMask, maskOf } from '../../src/layers/mask.js';
import {
  AveragePooling1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  MaxPooling1D,
} from '../../src/layers/pooling.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Sequential } from '../../src/models/sequential.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import type { Variable } from '../../src/tensor/variable.js';
import { expectError } from '../helpers/errors.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { expectTensor, f32 } from '../helpers/tensors.js';

const seq = (values: number[]): Tensor => f32(values, [1, values.length, 1]);

/** A 1 → 1 channel Conv1D with kernel [1, 10] (taps in order) and no bias. */
function conv(args: Partial<Conv1DArgs>, steps: number): Conv1D {
  const layer = new Conv1D({ filters: 1, kernelSize: 2, useBias: false, ...args });
  layer.build([null, steps, 1]);
  layer.setWeights([f32([1, 10], [2, 1, 1])]);
  return layer;
}

describe('Conv1D values', () => {
  it.each([
    ['valid', {}, [1, 2, 3, 4], [21, 32, 43]],
    ['same (the odd padded step after)', { padding: 'same' }, [1, 2, 3, 4], [21, 32, 43, 4]],
    ['causal (padding before)', { padding: 'causal' }, [1, 2, 3, 4], [10, 21, 32, 43]],
    ['dilation 2', { dilationRate: 2 }, [1, 2, 3, 4], [31, 42]],
    ['strides 2', { strides: 2 }, [1, 2, 3, 4], [21, 43]],
    ['strides 2, same, 5 steps', { strides: 2, padding: 'same' }, [1, 2, 3, 4, 5], [21, 43, 5]],
    ['causal, dilation 2', { padding: 'causal', dilationRate: 2 }, [1, 2, 3, 4], [10, 20, 31, 42]],
  ] as const)('%s', (_name, args, x, expected) => {
    const layer = conv(args as Partial<Conv1DArgs>, x.length);
    expectTensor(layer.apply(seq([...x])), [1, expected.length, 1], [...expected]);
    expect(layer.computeOutputShape([null, x.length, 1])).toEqual([null, expected.length, 1]);
  });

  it('channels, filters, bias, activation; groups; channels_first', () => {
    const layer = new Conv1D({ filters: 3, kernelSize: 1, activation: 'relu' });
    layer.build([null, 2, 2]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [1, 2, 3]],
      ['bias', [3]],
    ]);
    layer.setWeights([f32([1, 0, 1, 0, 1, -1], [1, 2, 3]), f32([0.5, 0, -10])]);
    const x = f32([1, 2, 3, 4], [1, 2, 2]);
    expectTensor(layer.apply(x), [1, 2, 3], [1.5, 2, 0, 3.5, 4, 0]);
    const grouped = new Conv1D({ filters: 2, kernelSize: 1, groups: 2, useBias: false });
    grouped.build([null, 2, 2]);
    grouped.setWeights([f32([2, 3], [1, 1, 2])]);
    expectTensor(grouped.apply(x), [1, 2, 2], [2, 6, 6, 12]);
    const first = new Conv1D({ filters: 1, kernelSize: 2, useBias: false, dataFormat: 'channels_first' });
    first.build([null, 1, 4]);
    first.setWeights([f32([1, 10], [2, 1, 1])]);
    expectTensor(first.apply(f32([1, 2, 3, 4], [1, 1, 4])), [1, 1, 3], [21, 32, 43]);
  });

  it('bad arguments and shapes are typed errors; a mask stops here', () => {
    expectError(() => new Conv1D({ filters: 0, kernelSize: 2 }), InvalidArgumentError, 'filters');
    expectError(
      () => new Conv1D({ filters: 2, kernelSize: 2, strides: 2, dilationRate: 2 }),
      InvalidArgumentError,
      'strides',
    );
    expectError(() => new Conv1D({ filters: 3, kernelSize: 2, groups: 2 }), InvalidArgumentError, 'groups');
    expectError(
      () => new Conv1D({ filters: 2, kernelSize: 2, padding: 'full' as never }),
      InvalidArgumentError,
      'padding',
    );
    const layer = conv({}, 4);
    expectError(() => layer.apply(f32([1, 2], [1, 1, 2])), ShapeError, '1 channels');
    const masked = attachMask(seq([1, 2, 3]), tensor([[1, 1, 0]], undefined, 'bool'));
    expect(maskOf(layer.apply(masked))).toBeNull();
  });
});

describe('pooling values', () => {
  const x = (): Tensor => seq([1, 3, 2, 5, 4]);

  it('MaxPooling1D / AveragePooling1D: valid and same (padding not counted in the average)', () => {
    expectTensor(new MaxPooling1D().apply(x()), [1, 2, 1], [3, 5]);
    expectTensor(new MaxPooling1D({ padding: 'same' }).apply(x()), [1, 3, 1], [3, 5, 4]);
    expectTensor(new AveragePooling1D().apply(x()), [1, 2, 1], [2, 3.5]);
    expectTensor(new AveragePooling1D({ padding: 'same' }).apply(x()), [1, 3, 1], [2, 3.5, 4]);
    // Keras's docstring case: pool 2, strides 1, same on 1..5.
    expectTensor(
      new MaxPooling1D({ strides: 1, padding: 'same' }).apply(seq([1, 2, 3, 4, 5])),
      [1, 5, 1],
      [2, 3, 4, 5, 5],
    );
    expectTensor(
      new AveragePooling1D({ poolSize: 3, strides: 1, padding: 'same' }).apply(x()),
      [1, 5, 1],
      [2, 2, 10 / 3, 11 / 3, 4.5],
    );
    expect(new MaxPooling1D({ poolSize: 3 }).computeOutputShape([null, 7, 4])).toEqual([null, 2, 4]);
    expectTensor(
      new MaxPooling1D({ dataFormat: 'channels_first' }).apply(f32([1, 3, 2, 5], [1, 1, 4])),
      [1, 1, 2],
      [3, 5],
    );
    expectError(() => new MaxPooling1D().apply(f32([1, 2])), ShapeError, 'rank 3');
  });

  it('GlobalAveragePooling1D averages the kept steps of a mask; GlobalMaxPooling1D ignores it, as Keras', () => {
    const masked = attachMask(f32([1, 10, 3, 20, 100, 30], [1, 3, 2]), tensor([[1, 1, 0]], undefined, 'bool'));
    const avg = new GlobalAveragePooling1D().apply(masked);
    expectTensor(avg, [1, 2], [2, 15]);
    expect(maskOf(avg)).toBeNull();
    expectTensor(new GlobalMaxPooling1D().apply(masked), [1, 2], [100, 30]);
    expectTensor(new GlobalAveragePooling1D({ keepdims: true }).apply(f32([1, 2, 3, 4], [1, 2, 2])), [1, 1, 2], [2, 3]);
    expectTensor(
      new GlobalMaxPooling1D({ dataFormat: 'channels_first' }).apply(f32([1, 2, 3, 4], [1, 2, 2])),
      [1, 2],
      [2, 4],
    );
    const sym = new GlobalAveragePooling1D().apply(input({ shape: [null, 3] })) as SymbolicTensor;
    expect(sym.shape).toEqual([null, 3]);
  });
});

describe('gradients (float64 finite differences)', () => {
  it.each([
    ['valid', {}],
    ['same, strides 2', { padding: 'same', strides: 2 }],
    ['causal, dilation 2', { padding: 'causal', dilationRate: 2 }],
    ['groups 2', { groups: 2, padding: 'same' }],
    ['channels_first', { dataFormat: 'channels_first', activation: 'tanh' }],
  ] as const)('Conv1D %s: inputs, kernel and bias', (_name, args) => {
    const rng = new Random(11);
    const layer = new Conv1D({ filters: 4, kernelSize: 3, dtype: 'float64', ...(args as Partial<Conv1DArgs>) });
    const first = (args as Partial<Conv1DArgs>).dataFormat === 'channels_first';
    layer.build(first ? [null, 2, 7] : [null, 7, 2]);
    const report = checkGradients(
      (x, k, b) => {
        layer.kernel = k as Variable;
        layer.bias = b as Variable;
        return layer.call(x!);
      },
      [
        randomFloat64(rng, first ? [2, 2, 7] : [2, 7, 2]),
        randomFloat64(rng, [...layer.kernel!.shape]),
        randomFloat64(rng, [4]),
      ],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });

  it.each([
    ['MaxPooling1D same', () => new MaxPooling1D({ poolSize: 3, strides: 2, padding: 'same', dtype: 'float64' })],
    [
      'AveragePooling1D same',
      () => new AveragePooling1D({ poolSize: 3, strides: 2, padding: 'same', dtype: 'float64' }),
    ],
    ['GlobalAveragePooling1D', () => new GlobalAveragePooling1D({ dtype: 'float64' })],
    ['GlobalMaxPooling1D', () => new GlobalMaxPooling1D({ dtype: 'float64' })],
  ] as const)('%s', (_name, make) => {
    const layer = make();
    const report = checkGradients((x) => layer.call(x!), [randomFloat64(new Random(12), [2, 7, 3])]);
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });

  it('GlobalAveragePooling1D with a mask', () => {
    const layer = new GlobalAveragePooling1D({ dtype: 'float64' });
    const mask = tensor(
      [
        [1, 1, 0, 1],
        [0, 1, 1, 1],
      ],
      undefined,
      'bool',
    );
    const report = checkGradients((x) => layer.call(x!, { mask }), [randomFloat64(new Random(13), [2, 4, 3])]);
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });
});

describe('Keras configs', () => {
  it('Conv1D: Keras 3 keys in order (activity_regularizer in place), tuples as lists, build_config', () => {
    const layer = new Conv1D({ filters: 4, kernelSize: 3, padding: 'causal', name: 'c' });
    layer.apply(input({ shape: [6, 2] }));
    const json = serializeLayer(layer);
    expect(Object.keys(json.config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'filters',
      'kernel_size',
      'strides',
      'padding',
      'data_format',
      'dilation_rate',
      'groups',
      'activation',
      'use_bias',
      'kernel_initializer',
      'bias_initializer',
      'kernel_regularizer',
      'bias_regularizer',
      'activity_regularizer',
      'kernel_constraint',
      'bias_constraint',
    ]);
    expect(json.config).toMatchObject({
      filters: 4,
      kernel_size: [3],
      strides: [1],
      dilation_rate: [1],
      padding: 'causal',
      groups: 1,
    });
    expect(json.build_config).toEqual({ input_shape: [null, 6, 2] });
    const copy = deserializeLayer(json);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.weights.map((w) => w.shape)).toEqual([[3, 2, 4], [4]]);
    expectError(() => Conv1D.fromConfig({ ...json.config, lora_rank: 4 }), InvalidArgumentError, 'lora_rank');
  });

  it.each([
    [
      new MaxPooling1D({ name: 'mp' }),
      { pool_size: [2], padding: 'valid', strides: [2], data_format: 'channels_last' },
    ],
    [
      new AveragePooling1D({ poolSize: 3, strides: 1, name: 'ap' }),
      { pool_size: [3], padding: 'valid', strides: [1], data_format: 'channels_last' },
    ],
    [new GlobalAveragePooling1D({ name: 'ga' }), { data_format: 'channels_last', keepdims: false }],
    [new GlobalMaxPooling1D({ name: 'gm', keepdims: true }), { data_format: 'channels_last', keepdims: true }],
  ] as const)('%o', (layer, own) => {
    layer.apply(input({ shape: [6, 2] }));
    const json = serializeLayer(layer);
    expect(Object.keys(json.config)).toEqual(['name', 'trainable', 'dtype', ...Object.keys(own)]);
    expect(json.config).toMatchObject(own);
    expect(json.build_config).toBeUndefined();
    expect(deserializeLayer(json).getConfig()).toEqual(layer.getConfig());
  });
});

it('a Conv1D → MaxPooling1D → GRU model trains and comes back from its .keras bytes', async () => {
  const rng = new Random(14);
  const x = tensor(
    Array.from({ length: 4 * 8 * 2 }, () => rng.normal()),
    [4, 8, 2],
  );
  const y = tensor(
    Array.from({ length: 4 }, () => rng.normal()),
    [4, 1],
  );
  const model = new Sequential([
    input({ shape: [8, 2] }),
    new Conv1D({ filters: 3, kernelSize: 3, padding: 'causal', activation: 'relu' }),
    new MaxPooling1D(),
    new GRU({ units: 4 }),
    new Dense({ units: 1 }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const history = await model.fit(x, y, { epochs: 5, verbose: 0 });
  const losses = history.history.loss as number[];
  expect(losses[4]!).toBeLessThan(losses[0]!);
  const again = await loadModel(await model.toBytes());
  expect(Array.from((again.predict(x) as Tensor).dataSync())).toEqual(
    Array.from((model.predict(x) as Tensor).dataSync()),
  );
});
