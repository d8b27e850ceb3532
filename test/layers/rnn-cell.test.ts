/**
 * The RNN cell contract (`RNNCell`, `isRNNCell`, `stateSizes`) and GRUCell's Keras config both ways: Keras 3's
 * `GRUCell.get_config()` is the base config followed by the GRU config's cell keys, in the cell's order.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { rnnArgsFromKerasConfig, rnnToKerasConfig } from '../../src/keras/rnn-config.js';
import { GRU } from '../../src/layers/gru.js';
import { GRUCell } from '../../src/layers/gru-cell.js';
import { assertRNNCell, isRNNCell, stateSizes, type RNNCell } from '../../src/layers/rnn-cell.js';
import { tensor } from '../../src/tensor/tensor.js';
import { loadFixture } from '../helpers/fixtures.js';

const CELL_KEYS = [
  'units',
  'activation',
  'recurrent_activation',
  'use_bias',
  'kernel_initializer',
  'recurrent_initializer',
  'bias_initializer',
  'kernel_regularizer',
  'recurrent_regularizer',
  'bias_regularizer',
  'kernel_constraint',
  'recurrent_constraint',
  'bias_constraint',
  'dropout',
  'recurrent_dropout',
  'reset_after',
  'seed',
];

describe('RNNCell contract', () => {
  it('GRUCell is an RNN cell with one state of size units', () => {
    const cell = new GRUCell({ units: 3 });
    expect(isRNNCell(cell)).toBe(true);
    expect(stateSizes(cell)).toEqual([3]);
    expect(assertRNNCell(cell)).toBe(cell);
    expect(stateSizes({ stateSize: [2, 5] })).toEqual([2, 5]);
  });

  it('refuses what is not a cell, naming the argument', () => {
    expect(isRNNCell(new Dense({ units: 2 }))).toBe(false);
    expect(isRNNCell(null)).toBe(false);
    expect(isRNNCell({ stateSize: 0, outputSize: 1, trackedWeights: [] })).toBe(false);
    expect(() => assertRNNCell(new Dense({ units: 2 }), 'cell', 'RNN constructor')).toThrow(InvalidArgumentError);
    expect(() => assertRNNCell(42)).toThrow(/invalid cell: expected an RNN cell/);
  });

  it('drives one step through the contract: h1 = (1 − z) ⊙ tanh(x·Wh) with zero state and weights', () => {
    // kernel ones, recurrent kernel and bias zeros: z = r = σ(Σx), ĥ = tanh(Σx), h' = (1 − z) ĥ.
    const gru = new GRUCell({ units: 2, kernelInitializer: 'ones', recurrentInitializer: 'zeros' });
    const cell: RNNCell = gru;
    cell.build([null, 3]);
    expect(cell.inputDim).toBe(3);
    const masks = cell.dropoutMasks(1, false);
    const [out, states] = cell.step(tensor([[0.1, 0.2, -0.5]]), [tensor([[0, 0]])], masks);
    const s = 0.1 + 0.2 - 0.5;
    const z = 1 / (1 + Math.exp(-s));
    const h = (1 - z) * Math.tanh(s);
    expect([...out.dataSync()].map((v) => Number(v.toFixed(6)))).toEqual([h, h].map((v) => Number(v.toFixed(6))));
    expect(states).toHaveLength(1);
    expect(cell.trackedWeights.map((w) => w.variable.name)).toEqual(['kernel', 'recurrent_kernel', 'bias']);
  });
});

describe('GRUCell Keras config', () => {
  const fx = loadFixture('fwd-default');
  const gruConfig = fx.keras_config;

  it('is the base config then the cell keys of the GRU config, and round-trips', () => {
    const expected: Record<string, unknown> = {
      name: 'gru_cell',
      trainable: gruConfig.trainable,
      dtype: gruConfig.dtype,
      ...Object.fromEntries(CELL_KEYS.map((k) => [k, gruConfig[k]])),
    };
    const cell = GRUCell.fromConfig(expected);
    expect(cell.getConfig()).toEqual(expected);
    expect(Object.keys(cell.getConfig())).toEqual(Object.keys(expected));
    expect(GRUCell.fromConfig({ module: 'keras.layers', class_name: 'GRUCell', config: expected }).getConfig()).toEqual(
      expected,
    );
  });

  it('reads Keras 2 cell configs (implementation) and refuses layer keys', () => {
    const cell = GRUCell.fromConfig({
      units: 4,
      implementation: 1,
      reset_after: false,
      recurrent_activation: 'hard_sigmoid',
    });
    expect(cell.implementation).toBe(1);
    expect(cell.resetAfter).toBe(false);
    expect(() => GRUCell.fromConfig({ units: 4, return_sequences: true })).toThrow(/config\.return_sequences/);
    expect(() => GRUCell.fromConfig({ units: 4, implementation: 3 })).toThrow(InvalidArgumentError);
  });
});

describe('RNN Keras config (the generic keras.layers.RNN form)', () => {
  it("writes Keras 3's RNN.get_config() for a recurrent layer: base, flags, then the cell with its build_config", () => {
    const gru = new GRU({ units: 4, returnSequences: true, name: 'rnn_like' });
    gru.build([null, null, 3]);
    const config = rnnToKerasConfig(gru, { name: gru.name, trainable: true });
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'return_sequences',
      'return_state',
      'go_backwards',
      'stateful',
      'unroll',
      'zero_output_for_mask',
      'cell',
    ]);
    expect(config.cell).toMatchObject({
      module: 'keras.layers',
      class_name: 'GRUCell',
      registered_name: null,
      build_config: { input_shape: [null, 3] },
    });
    const args = rnnArgsFromKerasConfig(config);
    expect(args.cell).toBeInstanceOf(GRUCell);
    expect(args.cell.built).toBe(true);
    expect(args.returnSequences).toBe(true);
    expect(() => rnnArgsFromKerasConfig({ ...config, cell: [config.cell] })).toThrow(/stacked cells/);
    expect(() => rnnArgsFromKerasConfig({ ...config, cell: { class_name: 'LSTMCell', config: {} } })).toThrow(
      /config\.cell\.class_name/,
    );
    expect(() => rnnArgsFromKerasConfig({ name: 'x' })).toThrow(/config\.cell/);
  });
});
