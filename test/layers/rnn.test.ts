/**
 * The generic RNN layer around any RNNCell: RNN(GRUCell) gives GRU's numbers (its generic loop against GRU's
 * fused kernel), a cell with two states of different sizes, Keras 3's `RNN.get_config()` form (the cell
 * serialized with its build_config) both ways, Bidirectional around a plain RNN, and typed errors.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { add, matMul } from '../../src/ops/index.js';
import { Bidirectional } from '../../src/layers/bidirectional.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { GRUCell } from '../../src/layers/gru-cell.js';
import { Layer, type Shape } from '../../src/layers/layer.js';
import { RNN } from '../../src/layers/rnn.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import type { Variable } from '../../src/tensor/variable.js';
import { maxAbsDiff } from '../helpers/fixtures.js';
import { expectError } from '../helpers/errors.js';
import { randomTensor } from '../helpers/random.js';

const seq = (b: number, t: number, f: number, seed = 1): Tensor => randomTensor(seed, [b, t, f]);

const close = (a: Tensor, b: Tensor): number => maxAbsDiff(a, { shape: [...b.shape], data: [...b.dataSync()] });

/** A cell with two states of sizes [U, 1]: a' = a + x·K, n' = n + 1; output a'. */
class CountingCell extends Layer {
  readonly className = 'CountingCell';
  readonly stateSize = [2, 1] as const;
  readonly outputSize = 2;
  kernel: Variable | null = null;

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    this.kernel = this.addWeight('kernel', { shape: [shape[shape.length - 1]!, 2], initializer: 'ones' });
    this.built = true;
  }
  get inputDim(): number {
    return this.kernel!.shape[0]!;
  }
  dropoutMasks(): null {
    return null;
  }
  step(inputs: Tensor, states: readonly Tensor[]): [Tensor, Tensor[]] {
    const a = add(states[0]!, matMul(inputs, this.kernel!));
    return [a, [a, add(states[1]!, 1)]];
  }
}

describe('RNN', () => {
  it('RNN(GRUCell) gives the numbers of GRU with the same weights', () => {
    const rnn = new RNN({ cell: new GRUCell({ units: 3 }), returnSequences: true });
    const gru = new GRU({ units: 3, returnSequences: true });
    const x = seq(2, 5, 4);
    const y = rnn.apply(x) as Tensor;
    gru.build([null, 5, 4]);
    gru.setWeights(rnn.getWeights());
    expect(y.shape).toEqual([2, 5, 3]);
    expect(close(y, gru.apply(x) as Tensor)).toBeLessThan(1e-6);
    const mask = tensor(
      [
        [1, 1, 1, 0, 0],
        [1, 1, 1, 1, 1],
      ],
      undefined,
      'bool',
    );
    expect(close(rnn.apply(x, { mask }) as Tensor, gru.apply(x, { mask }) as Tensor)).toBeLessThan(1e-6);
    expect(rnn.className).toBe('RNN');
    expect(rnn.name).toMatch(/^rnn(_\d+)?$/);
  });

  it('drives a cell with several states of different sizes', () => {
    const rnn = new RNN({ cell: new CountingCell(), returnState: true });
    const x = tensor([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    const [out, a, n] = rnn.apply(x) as Tensor[];
    expect(out!.arraySync()).toEqual([[21, 21]]);
    expect(a!.arraySync()).toEqual([[21, 21]]);
    expect(n!.arraySync()).toEqual([[3]]);
    expect(rnn.computeOutputShape([null, 3, 2])).toEqual([
      [null, 2],
      [null, 2],
      [null, 1],
    ]);
    expect(rnn.getInitialState(4).map((t) => t.shape)).toEqual([
      [4, 2],
      [4, 1],
    ]);
    const [, , n2] = rnn.apply(x, { initialState: [tensor([[0, 0]]), tensor([[10]])] }) as Tensor[];
    expect(n2!.arraySync()).toEqual([[13]]);
    expectError(
      () => rnn.apply(x, { initialState: [tensor([[0, 0]])] }),
      InvalidArgumentError,
      'initialState',
      '2 state tensor(s)',
    );
  });

  it("writes Keras 3's RNN config (the cell with its build_config) and reads it back", () => {
    const rnn = new RNN({ cell: new GRUCell({ units: 4 }), returnSequences: true, name: 'rnn_a' });
    rnn.build([null, null, 3]);
    const config = rnn.getConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'return_sequences',
      'return_state',
      'go_backwards',
      'stateful',
      'unroll',
      'zero_output_for_mask',
      'cell',
    ]);
    const cell = config.cell as Record<string, unknown>;
    expect(Object.keys(cell)).toEqual(['module', 'class_name', 'config', 'registered_name', 'build_config']);
    expect(cell.class_name).toBe('GRUCell');
    expect(cell.build_config).toEqual({ input_shape: [null, 3] });
    expect((cell.config as Record<string, unknown>).units).toBe(4);
    const back = RNN.fromConfig(config);
    expect(back.built || back.cell.built).toBe(true);
    back.build([null, null, 3]);
    expect(back.getConfig()).toEqual(config);
    expect(back.weights.map((w) => w.shape)).toEqual([
      [3, 12],
      [4, 12],
      [2, 12],
    ]);
    expectError(
      () => RNN.fromConfig({ ...config, cell: [cell, cell] }),
      InvalidArgumentError,
      'config.cell',
      'stacked',
    );
    expectError(
      () => RNN.fromConfig({ ...config, cell: { class_name: 'Dense', config: { units: 2 } } }),
      InvalidArgumentError,
      'config.cell.class_name',
      'GRUCell',
    );
  });

  it('is wrapped by Bidirectional like GRU', () => {
    const bi = new Bidirectional({ layer: new RNN({ cell: new GRUCell({ units: 2 }), returnSequences: true }) });
    expect(bi.forwardLayer).toBeInstanceOf(RNN);
    expect(bi.backwardLayer.goBackwards).toBe(true);
    expect((bi.apply(seq(1, 3, 2)) as Tensor).shape).toEqual([1, 3, 4]);
  });

  it('refuses what is not a cell', () => {
    expectError(
      () => new RNN({ cell: new Dense({ units: 2 }) as never }),
      InvalidArgumentError,
      'invalid cell',
      'RNN cell',
    );
    expectError(() => new RNN(null as never), InvalidArgumentError, 'args');
  });
});
