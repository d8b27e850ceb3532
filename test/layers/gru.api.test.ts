/**
 * The GRU layer's API beyond the fixtures: defaults, identifiers in every accepted form, Keras 2 configs,
 * stateful resets with values, that inputs are never mutated, and typed errors for bad input.
 */
import { describe, expect, it } from 'vitest';
import {
  GRU,
  InvalidArgumentError,
  NotBuiltError,
  ShapeError,
  UnknownNameError,
  tanh,
  tensor,
  zeros,
  type Tensor,
} from '../../src/index.js';
import { expectError } from '../helpers/errors.js';
import { loadFixture, maxAbsDiff, toTensor } from '../helpers/fixtures.js';

const x3 = (b = 2, t = 4, i = 3): Tensor =>
  tensor(
    Array.from({ length: b * t * i }, (_, k) => Math.sin(k)),
    [b, t, i],
  );

describe('GRU defaults', () => {
  it('follows Keras 3: tanh, sigmoid, resetAfter, glorot_uniform, orthogonal, zeros', () => {
    const layer = new GRU({ units: 3 });
    expect(layer.activation.name).toBe('tanh');
    expect(layer.recurrentActivation.name).toBe('sigmoid');
    expect(layer.resetAfter).toBe(true);
    expect(layer.useBias).toBe(true);
    expect(layer.kernelInitializer.className).toBe('GlorotUniform');
    expect(layer.recurrentInitializer.className).toBe('Orthogonal');
    expect(layer.biasInitializer.className).toBe('Zeros');
    expect(layer.returnSequences || layer.returnState || layer.goBackwards || layer.stateful || layer.unroll).toBe(
      false,
    );
    layer.build([null, 5, 2]);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([
      [2, 9],
      [3, 9],
      [2, 9],
    ]);
    expect(layer.weights.map((w) => w.name)).toEqual(['kernel', 'recurrent_kernel', 'bias']);
    expect(layer.countParams()).toBe(2 * 9 + 3 * 9 + 2 * 9);
  });

  it('gives the TF 1.x layer with two options', () => {
    const layer = new GRU({ units: 3, recurrentActivation: 'hard_sigmoid', resetAfter: false });
    layer.build([null, 5, 2]);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[2, 9], [3, 9], [9]]);
  });

  it('names layers like Keras (gru, gru_1, ...) unless named', () => {
    const a = new GRU({ units: 1 });
    const b = new GRU({ units: 1 });
    expect(a.name).toMatch(/^gru(_\d+)?$/);
    expect(b.name).not.toBe(a.name);
    expect(new GRU({ units: 1, name: 'encoder' }).name).toBe('encoder');
  });

  it('an omitted initial state is the zero state', () => {
    const layer = new GRU({ units: 4, returnSequences: true });
    const x = x3();
    const implicit = layer.apply(x) as Tensor;
    const explicit = layer.apply(x, { initialState: [zeros([2, 4])] }) as Tensor;
    expect(Array.from(explicit.dataSync())).toEqual(Array.from(implicit.dataSync()));
  });
});

describe('identifiers in every form', () => {
  it('accepts activations by name, function, object and Keras config, with the same numbers', () => {
    const base = new GRU({
      units: 3,
      kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } },
      recurrentInitializer: { class_name: 'Orthogonal', config: { seed: 2 } },
    });
    const x = x3();
    base.build(x.shape as number[]);
    const expected = base.apply(x) as Tensor;
    for (const activation of [
      'tanh',
      (t: Tensor) => tanh(t),
      base.activation,
      { class_name: 'function', config: 'tanh' },
    ] as const) {
      const other = new GRU({ units: 3, activation: activation as never });
      other.build(x.shape as number[]);
      other.setWeights(base.getWeights());
      const got = other.apply(x) as Tensor;
      const d = Array.from(got.dataSync()).map((v, i) => Math.abs(v - expected.dataSync()[i]!));
      expect(Math.max(...d)).toBeLessThan(1e-6);
    }
  });

  it('activation null means linear', () => {
    expect(new GRU({ units: 2, activation: null }).activation.name).toBe('linear');
  });

  it('initializers by name give seeded, reproducible weights', () => {
    const make = () => {
      const layer = new GRU({ units: 3, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 5 } } });
      layer.build([null, 4, 2]);
      return layer.getWeights()[0]!.dataSync();
    };
    expect(Array.from(make())).toEqual(Array.from(make()));
  });
});

describe('Keras configs', () => {
  it('reads a Keras 2 / tf.keras config (implementation, time_major, string dtype, class names)', () => {
    const keras2 = {
      name: 'gru_1',
      trainable: true,
      batch_input_shape: [null, 10, 3],
      dtype: 'float32',
      return_sequences: false,
      return_state: false,
      go_backwards: false,
      stateful: false,
      unroll: false,
      time_major: false,
      units: 4,
      activation: 'tanh',
      recurrent_activation: 'hard_sigmoid',
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      recurrent_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: 0.0,
      recurrent_dropout: 0.0,
      implementation: 1,
      reset_after: false,
    };
    const layer = GRU.fromConfig(keras2);
    expect(layer.units).toBe(4);
    expect(layer.resetAfter).toBe(false);
    expect(layer.recurrentActivation.name).toBe('hard_sigmoid');
    expect(layer.cell.implementation).toBe(1);
    const config = layer.getConfig();
    expect(config.dtype).toEqual({
      module: 'keras',
      class_name: 'DTypePolicy',
      config: { name: 'float32' },
      registered_name: null,
    });
    expect(config.recurrent_initializer).toEqual({
      module: 'keras.initializers',
      class_name: 'Orthogonal',
      config: { seed: null, gain: 1 },
      registered_name: null,
    });
  });

  it('accepts the serialized-layer wrapper { class_name: "GRU", config }', () => {
    const fx = loadFixture('fwd-default');
    expect(GRU.fromConfig({ class_name: 'GRU', config: fx.keras_config }).getConfig()).toEqual(fx.keras_config);
  });

  it('rejects time_major: true and unknown keys by name', () => {
    const fx = loadFixture('fwd-default');
    expectError(() => GRU.fromConfig({ ...fx.keras_config, time_major: true }), InvalidArgumentError, 'time_major');
    expectError(() => GRU.fromConfig({ ...fx.keras_config, colour: 'blue' }), InvalidArgumentError, 'config.colour');
  });
});

describe('stateful layers', () => {
  it('resetStates(values) starts the next call from those values', () => {
    const fx = loadFixture('fwd-h0');
    const config = { ...fx.keras_config, stateful: true };
    const layer = GRU.fromConfig(config);
    layer.build(fx.inputs.x.shape);
    layer.setWeights(fx.weights.map((w) => toTensor(w)));
    layer.resetStates([toTensor(fx.inputs.initial_state!)]);
    const [seq, state] = layer.apply(toTensor(fx.inputs.x)) as Tensor[];
    expect(maxAbsDiff(seq!, fx.outputs[0]!)).toBeLessThan(2e-6);
    expect(maxAbsDiff(state!, fx.outputs[1]!)).toBeLessThan(2e-6);
    expect(maxAbsDiff(layer.states![0]!, fx.outputs[1]!)).toBeLessThan(2e-6);
  });

  it('refuses a batch size other than the carried state', () => {
    const layer = new GRU({ units: 2, stateful: true });
    layer.apply(x3(2));
    expectError(() => layer.apply(x3(3)), ShapeError, 'batch size 2', 'batch size 3');
  });
});

describe('inputs are never mutated', () => {
  it('leaves x, the mask, the initial state and the weights given to setWeights unchanged', () => {
    const fx = loadFixture('fwd-mask-backwards');
    const layer = GRU.fromConfig(fx.keras_config);
    layer.build(fx.inputs.x.shape);
    const weights = fx.weights.map((w) => toTensor(w));
    const before = weights.map((w) => Array.from(w.dataSync()));
    layer.setWeights(weights);
    const x = toTensor(fx.inputs.x);
    const h0 = toTensor(fx.inputs.initial_state!);
    const mask = toTensor(fx.inputs.mask!, 'int32');
    const copies = [x, h0, mask].map((t) => Array.from(t.dataSync()));
    layer.apply(x, { initialState: [h0], mask });
    [x, h0, mask].forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(copies[i]));
    weights.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(before[i]));
  });

  it('accepts masks as bool, int32 and float32 with the same result', () => {
    const fx = loadFixture('fwd-mask-right');
    const layer = GRU.fromConfig(fx.keras_config);
    layer.build(fx.inputs.x.shape);
    layer.setWeights(fx.weights.map((w) => toTensor(w)));
    for (const dtype of ['bool', 'int32', 'float32'] as const) {
      const mask = tensor(fx.inputs.mask!.data, fx.inputs.mask!.shape, dtype);
      const [seq] = layer.apply(toTensor(fx.inputs.x), { mask }) as Tensor[];
      expect(maxAbsDiff(seq!, fx.outputs[0]!)).toBeLessThan(2e-6);
    }
  });
});

describe('bad input is a typed error naming the argument, the expected and the received value', () => {
  it('units', () => {
    expectError(() => new GRU({ units: 0 }), InvalidArgumentError, 'units', 'positive integer', '0');
    expectError(() => new GRU({ units: 2.5 }), InvalidArgumentError, 'units', '2.5');
    expectError(() => new GRU({} as never), InvalidArgumentError, 'units', 'undefined');
  });

  it('unknown activation and initializer names', () => {
    // @ts-expect-error misspelt on purpose: the run-time check is under test
    expectError(() => new GRU({ units: 2, activation: 'tanhh' }), UnknownNameError, 'activation', 'tanhh');
    expectError(
      // @ts-expect-error misspelt on purpose: the run-time check is under test
      () => new GRU({ units: 2, recurrentActivation: 'sigmod' }),
      UnknownNameError,
      'recurrentActivation',
      'sigmod',
    );
    expectError(
      // @ts-expect-error misspelt on purpose: the run-time check is under test
      () => new GRU({ units: 2, kernelInitializer: 'glorot' }),
      UnknownNameError,
      'kernelInitializer',
      'glorot',
    );
  });

  it('dropout outside [0, 1]', () => {
    expectError(() => new GRU({ units: 2, dropout: 1.5 }), InvalidArgumentError, 'dropout', '[0, 1]', '1.5');
    expectError(() => new GRU({ units: 2, recurrentDropout: -0.1 }), InvalidArgumentError, 'recurrentDropout', '-0.1');
  });

  it('wrong rank and wrong feature size of x', () => {
    const layer = new GRU({ units: 2 });
    expectError(() => layer.apply(tensor([1, 2, 3, 4], [2, 2])), ShapeError, 'inputs', 'rank-3', '[2, 2]');
    layer.apply(x3(2, 4, 3));
    expectError(() => layer.apply(x3(2, 4, 5)), ShapeError, 'inputs', 'last dimension 3', '[2, 4, 5]');
  });

  it('mask and initial state of the wrong shape', () => {
    const layer = new GRU({ units: 2 });
    const x = x3(2, 4, 3);
    expectError(() => layer.apply(x, { mask: tensor([1, 1, 1], [1, 3]) }), ShapeError, 'mask', '[2, 4]', '[1, 3]');
    expectError(
      () => layer.apply(x, { initialState: [zeros([2, 3])] }),
      ShapeError,
      'initialState[0]',
      '[2, 2]',
      '[2, 3]',
    );
    expectError(
      () => layer.apply(x, { initialState: [zeros([2, 2]), zeros([2, 2])] }),
      InvalidArgumentError,
      'initialState',
      '1 state',
    );
  });

  it('wrong weight count or shape in setWeights, and nothing is assigned', () => {
    const layer = new GRU({ units: 2 });
    layer.build([null, 3, 3]);
    const before = layer.getWeights().map((w) => Array.from(w.dataSync()));
    expectError(() => layer.setWeights([zeros([3, 6])]), InvalidArgumentError, 'weights', '3 weights', 'a list of 1');
    expectError(
      () => layer.setWeights([zeros([3, 6]), zeros([2, 6]), zeros([6])]),
      ShapeError,
      'weights[2] (bias)',
      '[2, 6]',
      '[6]',
    );
    layer.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(before[i]));
  });

  it('countParams before build', () => {
    expectError(() => new GRU({ units: 2 }).countParams(), NotBuiltError, 'not built');
  });
});
