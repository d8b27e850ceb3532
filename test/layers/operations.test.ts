/**
 * The operation layers Keras traces into functional configs: eager values against hand-computed ones, symbolic
 * shapes and dtypes (null sizes kept), constants as operands, configs as Keras writes them, and a functional
 * model whose mask comes from `Any(NotEqual(x, 0))` computing what Masking's implicit mask computes.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { Bidirectional } from '../../src/layers/bidirectional.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Masking } from '../../src/layers/masking.js';
import {
  AddOperation,
  All,
  Any,
  broadcastSymbolicShapes,
  Cast,
  Equal,
  ExpandDims,
  Greater,
  GreaterEqual,
  Less,
  LessEqual,
  LogicalAnd,
  LogicalNot,
  LogicalOr,
  MultiplyOperation,
  NotEqual,
  Squeeze,
  SubtractOperation,
} from '../../src/layers/operations.js';
import { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { operationClasses } from '../../src/keras/operation-config.js';
import { Model } from '../../src/models/model.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';

const values = (t: Tensor | SymbolicTensor): number[] => Array.from((t as Tensor).dataSync());

describe('operation layers, eagerly', () => {
  const x = tensor(
    [
      [
        [0, 0],
        [1, 0],
        [0, -2],
      ],
      [
        [3, 3],
        [0, 0],
        [0, 0],
      ],
    ],
    undefined,
    'float32',
  ); // [2,3,2]

  it('comparisons give bool tensors, a constant operand on either side', () => {
    const ne = new NotEqual().applyOp(x, 0) as Tensor;
    expect(ne.dtype).toBe('bool');
    expect(ne.shape).toEqual([2, 3, 2]);
    expect(values(ne)).toEqual([0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0]);
    expect(values(new Equal().applyOp(0, x) as Tensor)).toEqual([1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1]);
    const row = tensor([1, -1]);
    expect(values(new Greater().applyOp(row, 0) as Tensor)).toEqual([1, 0]);
    expect(values(new GreaterEqual().applyOp(row, 1) as Tensor)).toEqual([1, 0]);
    expect(values(new Less().applyOp(row, 0) as Tensor)).toEqual([0, 1]);
    expect(values(new LessEqual().applyOp(row, -1) as Tensor)).toEqual([0, 1]);
  });

  it('Any and All reduce along an axis (or all), keepDims as asked', () => {
    const nonzero = new NotEqual().applyOp(x, 0) as Tensor;
    const any = new Any({ axis: -1 }).applyOp(nonzero) as Tensor;
    expect(any.shape).toEqual([2, 3]);
    expect(values(any)).toEqual([0, 1, 1, 1, 0, 0]);
    const all = new All({ axis: -1, keepDims: true }).applyOp(x) as Tensor;
    expect(all.shape).toEqual([2, 3, 1]);
    expect(values(all)).toEqual([0, 0, 0, 1, 0, 0]);
    const everything = new Any().applyOp(x) as Tensor;
    expect(everything.shape).toEqual([]);
    expect(values(everything)).toEqual([1]);
    expect(values(new All({ axis: [1, 2] }).applyOp(x) as Tensor)).toEqual([0, 0]);
  });

  it('logical operations, Cast, ExpandDims, Squeeze and arithmetic', () => {
    const a = tensor([1, 0, 1, 0], undefined, 'bool');
    const b = tensor([1, 1, 0, 0], undefined, 'bool');
    expect(values(new LogicalAnd().applyOp(a, b) as Tensor)).toEqual([1, 0, 0, 0]);
    expect(values(new LogicalOr().applyOp(a, b) as Tensor)).toEqual([1, 1, 1, 0]);
    expect(values(new LogicalNot().applyOp(a) as Tensor)).toEqual([0, 1, 0, 1]);
    const f = new Cast({ dtype: 'float32' }).applyOp(a) as Tensor;
    expect(f.dtype).toBe('float32');
    expect(values(f)).toEqual([1, 0, 1, 0]);
    const e = new ExpandDims({ axis: -1 }).applyOp(tensor([[1, 2, 3]])) as Tensor;
    expect(e.shape).toEqual([1, 3, 1]);
    expect((new ExpandDims({ axis: [0, 2] }).applyOp(tensor([1, 2])) as Tensor).shape).toEqual([1, 2, 1]);
    expect((new Squeeze({ axis: -1 }).applyOp(e) as Tensor).shape).toEqual([1, 3]);
    expect((new Squeeze().applyOp(e) as Tensor).shape).toEqual([3]);
    const masked = new MultiplyOperation().applyOp(
      tensor([
        [2, 3],
        [4, 5],
      ]),
      tensor([[1], [0]], undefined, 'bool'),
    ) as Tensor;
    expect(masked.dtype).toBe('float32');
    expect(values(masked)).toEqual([2, 3, 0, 0]);
    expect(values(new AddOperation().applyOp(tensor([1, 2]), 0.5) as Tensor)).toEqual([1.5, 2.5]);
    expect(values(new SubtractOperation().applyOp(1, tensor([1, 2])) as Tensor)).toEqual([0, -1]);
  });

  it('refuses other constants in a later call, wrong operand counts and non-size-1 squeezes', () => {
    const op = new NotEqual();
    op.applyOp(x, 0);
    expect(() => op.applyOp(x, 1)).toThrow(InvalidArgumentError);
    expect(() => new NotEqual().applyOp(x)).toThrow(InvalidArgumentError);
    expect(() => new NotEqual().applyOp(0, 1)).toThrow(InvalidArgumentError);
    expect(() => new Squeeze({ axis: 0 }).applyOp(x)).toThrow(ShapeError);
    expect(() => new Cast({ dtype: 'float16' })).toThrow(InvalidArgumentError);
    expect(() => broadcastSymbolicShapes([null, 3], [2], 'test')).toThrow(ShapeError);
  });
});

describe('operation layers, symbolically', () => {
  it('infer shapes (null kept) and dtypes, and record one node with its constant', () => {
    const x = input({ shape: [null, 4] });
    const op = new NotEqual({ name: 'ne' });
    const ne = op.applyOp(x, 0) as SymbolicTensor;
    expect(ne).toBeInstanceOf(SymbolicTensor);
    expect(ne.shape).toEqual([null, null, 4]);
    expect(ne.dtype).toBe('bool');
    expect(op.operands).toEqual([{ tensor: 0 }, { constant: 0 }]);
    expect(op.inboundNodes).toHaveLength(1);
    const any = new Any({ axis: -1 }).applyOp(ne) as SymbolicTensor;
    expect(any.shape).toEqual([null, null]);
    expect(broadcastSymbolicShapes([null, 1, 3], [5, 1], 'test')).toEqual([null, 5, 3]);
    expect((new Cast({ dtype: 'int32' }).applyOp(any) as SymbolicTensor).dtype).toBe('int32');
    expect((new ExpandDims({ axis: 1 }).applyOp(any) as SymbolicTensor).shape).toEqual([null, 1, null]);
  });

  it('configs as Keras writes them, and back', () => {
    expect(new NotEqual({ name: 'not_equal_1' }).getConfig()).toEqual({ name: 'not_equal_1' });
    expect(new Any({ name: 'any', axis: -1 }).getConfig()).toEqual({ name: 'any', axis: -1, keepdims: false });
    expect(new Cast({ name: 'cast', dtype: 'float32' }).getConfig()).toEqual({ name: 'cast', dtype: 'float32' });
    expect(new Squeeze({ name: 'sq' }).getConfig()).toEqual({ name: 'sq', axis: null });
    const classes = operationClasses();
    const any = classes.Any!({ name: 'any_2', axis: [1, 2], keepdims: true }) as Any;
    expect([any.name, any.axis, any.keepDims]).toEqual(['any_2', [1, 2], true]);
    expect(() => classes.Any!({ name: 'a', bogus: 1 })).toThrow(InvalidArgumentError);
  });

  it('a functional model masked by Any(NotEqual(x, 0)) predicts as one masked by Masking', () => {
    const rng = new Random(3);
    const data = Array.from({ length: 2 * 5 * 3 }, (_, i) =>
      [3, 4, 14].includes(i) || i >= 24 ? 0 : rng.uniform() * 2 - 1,
    );
    const xValue = tensor(data, [2, 5, 3]);

    const gru = new GRU({ units: 4, returnSequences: true, name: 'gru_ops' });
    const x1 = input({ shape: [null, 3] });
    const mask = new Any({ axis: -1 }).applyOp(new NotEqual().applyOp(x1, 0)) as SymbolicTensor;
    const bidi = new Bidirectional({ layer: gru, name: 'bidi_ops' });
    const y1 = bidi.apply(x1, { mask });
    const viaOps = new Model({ inputs: x1, outputs: y1 });

    const x2 = input({ shape: [null, 3] });
    const bidi2 = new Bidirectional({
      layer: new GRU({ units: 4, returnSequences: true, name: 'gru_masking' }),
      name: 'bidi_masking',
    });
    const viaMasking = new Model({ inputs: x2, outputs: bidi2.apply(new Masking().apply(x2)) });
    viaMasking.setWeights(viaOps.getWeights());

    const a = values(viaOps.predict(xValue) as Tensor);
    const b = values(viaMasking.predict(xValue) as Tensor);
    expect(a).toEqual(b);
  });
});
