import { describe, expect, it } from 'vitest';
import { DTypeError, InvalidArgumentError, ShapeError } from '../../src/errors.js';
import type { DType } from '../../src/tensor/dtype.js';
import { fill, ones, scalar, tensor, zeros, type NestedArray } from '../../src/tensor/tensor.js';
import { isVariable, variable } from '../../src/tensor/variable.js';
import { thrown } from '../helpers/errors.js';

describe('tensor()', () => {
  it('makes float32 by default from flat and nested numbers', () => {
    const flat = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(flat.shape).toEqual([2, 3]);
    expect(flat.dtype).toBe('float32');
    expect(flat.rank).toBe(2);
    expect(flat.size).toBe(6);
    expect(flat.dataSync()).toBeInstanceOf(Float32Array);
    expect(Array.from(flat.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);

    const nested = tensor([[[1, 2]], [[3, 4]], [[5, 6]]]);
    expect(nested.shape).toEqual([3, 1, 2]);
    expect(Array.from(nested.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(nested.arraySync()).toEqual([[[1, 2]], [[3, 4]], [[5, 6]]]);
  });

  it('infers a 1-D shape from a flat array', () => {
    expect(tensor([1, 2, 3]).shape).toEqual([3]);
  });

  it('stores float32 with float32 rounding and float64 exactly', () => {
    const v = 0.1;
    expect(tensor([v]).dataSync()[0]).toBe(Math.fround(v));
    const t64 = tensor([v, 1 / 3], [2], 'float64');
    expect(t64.dtype).toBe('float64');
    expect(t64.dataSync()).toBeInstanceOf(Float64Array);
    expect(Array.from(t64.dataSync())).toEqual([v, 1 / 3]);
  });

  it('makes int32 (truncating) and bool (nonzero is true)', () => {
    const i = tensor(
      [
        [1, -2],
        [3.7, -4.7],
      ],
      undefined,
      'int32',
    );
    expect(i.dtype).toBe('int32');
    expect(i.dataSync()).toBeInstanceOf(Int32Array);
    expect(Array.from(i.dataSync())).toEqual([1, -2, 3, -4]);

    const b = tensor([
      [true, false],
      [false, true],
    ]);
    expect(b.dtype).toBe('bool');
    expect(b.dataSync()).toBeInstanceOf(Uint8Array);
    expect(Array.from(b.dataSync())).toEqual([1, 0, 0, 1]);
    expect(b.arraySync()).toEqual([
      [true, false],
      [false, true],
    ]);

    const fromNumbers = tensor([0, 2, -1, 0.5], [4], 'bool');
    expect(Array.from(fromNumbers.dataSync())).toEqual([0, 1, 1, 1]);
  });

  it('takes typed arrays, with the dtype of their storage by default', () => {
    const cases: [Float32Array | Float64Array | Int32Array | Uint8Array, DType][] = [
      [new Float32Array([1, 2, 3, 4]), 'float32'],
      [new Float64Array([1, 2, 3, 4]), 'float64'],
      [new Int32Array([1, 2, 3, 4]), 'int32'],
      [new Uint8Array([1, 0, 1, 1]), 'bool'],
    ];
    for (const [values, dtype] of cases) {
      const t = tensor(values, [2, 2]);
      expect(t.dtype).toBe(dtype);
      expect(t.shape).toEqual([2, 2]);
      expect(Array.from(t.dataSync())).toEqual(Array.from(values));
      expect(tensor(values).shape).toEqual([4]);
    }
    // An explicit dtype converts.
    const t = tensor(new Float32Array([1.5, -2.5]), [2], 'float64');
    expect(t.dtype).toBe('float64');
    expect(Array.from(t.dataSync())).toEqual([1.5, -2.5]);
  });

  it('makes scalars', () => {
    for (const t of [tensor(3.5), scalar(3.5), tensor(3.5, [])]) {
      expect(t.shape).toEqual([]);
      expect(t.rank).toBe(0);
      expect(t.size).toBe(1);
      expect(t.arraySync()).toBe(3.5);
    }
    expect(scalar(2, 'int32').dtype).toBe('int32');
    expect(tensor(true).dtype).toBe('bool');
    expect(tensor(7, [1, 1]).shape).toEqual([1, 1]);
  });

  it('makes empty tensors', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([], [0, 3]).shape).toEqual([0, 3]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('reshapes flat values to the given shape and accepts a nested array of matching size', () => {
    expect(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [4],
      ).shape,
    ).toEqual([4]);
    expect(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
      ).shape,
    ).toEqual([2, 2]);
  });

  it('freezes its shape and does not keep the shape array it was given', () => {
    const shape = [2, 2];
    const t = tensor([1, 2, 3, 4], shape);
    shape[0] = 4;
    expect(t.shape).toEqual([2, 2]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it('dataSync() returns a copy', () => {
    for (const dtype of ['float32', 'float64', 'int32', 'bool'] as const) {
      const t = tensor([1, 0, 1], [3], dtype);
      const data = t.dataSync();
      data[0] = 0;
      data[1] = 1;
      expect(Array.from(t.dataSync())).toEqual([1, 0, 1]);
      expect(t.dataSync()).not.toBe(t.dataSync());
    }
  });

  it('never mutates nor aliases its input', () => {
    const nested = [
      [1, 2],
      [3, 4],
    ];
    const t1 = tensor(nested);
    nested[0]![0] = 100;
    expect(Array.from(t1.dataSync())).toEqual([1, 2, 3, 4]);
    expect(nested).toEqual([
      [100, 2],
      [3, 4],
    ]);

    const flat = [1.5, 2.5];
    const t2 = tensor(flat, [2], 'int32');
    expect(flat).toEqual([1.5, 2.5]);
    flat[1] = 9;
    expect(Array.from(t2.dataSync())).toEqual([1, 2]);

    for (const typed of [
      new Float32Array([1, 2]),
      new Float64Array([1, 2]),
      new Int32Array([1, 2]),
      new Uint8Array([1, 0]),
    ]) {
      const before = Array.from(typed);
      const t = tensor(typed);
      expect(t.values).not.toBe(typed);
      expect(t.values.buffer).not.toBe(typed.buffer);
      typed[0] = 0;
      expect(Array.from(t.dataSync())).toEqual(before);
    }

    // A typed array converted to bool is not rewritten in place.
    const source = new Float32Array([2, 0]);
    tensor(source, [2], 'bool');
    expect(Array.from(source)).toEqual([2, 0]);
  });

  describe('errors', () => {
    it('ShapeError when flat values and shape disagree, naming values, the expected and the received count', () => {
      const e = thrown(() => tensor([1, 2, 3], [2, 2]), ShapeError);
      expect(e.argument).toBe('values');
      expect(e.message).toContain('tensor');
      expect(e.message).toContain('values');
      expect(e.message).toContain('4 values for shape [2, 2]');
      expect(e.message).toContain('3 values');

      const typed = thrown(() => tensor(new Float32Array(5), [2, 3]), ShapeError);
      expect(typed.message).toContain('6 values for shape [2, 3]');
      expect(typed.message).toContain('5 values');

      const scalarMismatch = thrown(() => tensor(1, [2]), ShapeError);
      expect(scalarMismatch.message).toContain('2 values for shape [2]');
    });

    it('ShapeError when a nested array has a different size than shape', () => {
      const e = thrown(
        () =>
          tensor(
            [
              [1, 2],
              [3, 4],
            ],
            [3, 2],
          ),
        ShapeError,
      );
      expect(e.argument).toBe('shape');
      expect(e.message).toContain('4 elements');
      expect(e.message).toContain('[2, 2]');
      expect(e.message).toContain('[3, 2]');
    });

    it('ShapeError for ragged nested arrays', () => {
      const short = thrown(() => tensor([[1, 2], [3]]), ShapeError);
      expect(short.argument).toBe('values');
      expect(short.message).toContain('tensor: invalid values');
      expect(short.message).toContain('rectangular nested array of shape [2, 2]');
      expect(short.message).toContain('[3]');

      const mixed = thrown(() => tensor([[1, 2], 3] as unknown as NestedArray), ShapeError);
      expect(mixed.message).toContain('received 3');

      const deeper = thrown(() => tensor([1, [2, 3]] as unknown as NestedArray), ShapeError);
      expect(deeper.message).toContain('[2, 3]');

      thrown(
        () =>
          tensor([
            [[1], [2]],
            [[3], [4, 5]],
          ]),
        ShapeError,
      );
    });

    it('InvalidArgumentError for values that are not numbers', () => {
      const e = thrown(() => tensor(['a'] as unknown as NestedArray), InvalidArgumentError);
      expect(e.argument).toBe('values');
      expect(e.message).toContain('numbers or booleans');
      expect(e.message).toContain('"a"');

      const notArray = thrown(() => tensor({ length: 2 } as unknown as NestedArray), InvalidArgumentError);
      expect(notArray.argument).toBe('values');
      thrown(() => tensor(null as unknown as NestedArray), InvalidArgumentError);
      thrown(() => tensor([1, null] as unknown as NestedArray), InvalidArgumentError);
    });

    it('InvalidArgumentError for a malformed shape', () => {
      for (const shape of [[-1, 2], [1.5], ['2']]) {
        const e = thrown(() => tensor([1, 2], shape as number[]), InvalidArgumentError);
        expect(e.argument).toBe('shape');
        expect(e.message).toContain('non-negative integers');
      }
    });

    it('DTypeError for an unknown dtype, naming dtype, the allowed ones and the received value', () => {
      const e = thrown(() => tensor([1], undefined, 'float16' as DType), DTypeError);
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect(e.argument).toBe('dtype');
      expect(e.message).toContain('tensor: invalid dtype');
      expect(e.message).toContain('float32, float64, int32, bool');
      expect(e.message).toContain('"float16"');
      thrown(() => scalar(1, 'int64' as DType), DTypeError);
      thrown(() => zeros([2], 'half' as DType), DTypeError);
      thrown(() => ones([2], 'half' as DType), DTypeError);
      thrown(() => fill([2], 1, 'half' as DType), DTypeError);
    });
  });
});

describe('zeros, ones, fill', () => {
  it('make tensors of the given shape and dtype', () => {
    const z = zeros([2, 3], 'float64');
    expect(z.shape).toEqual([2, 3]);
    expect(z.dtype).toBe('float64');
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(ones([2], 'int32').dataSync())).toEqual([1, 1]);
    expect(ones([2]).dtype).toBe('float32');
    expect(Array.from(fill([3], 2.5).dataSync())).toEqual([2.5, 2.5, 2.5]);
    expect(zeros([]).shape).toEqual([]);
  });
});

describe('variable()', () => {
  it('copies its initial value', () => {
    const init = tensor([1, 2, 3], [3], 'float64');
    const v = variable(init, { name: 'kernel' });
    expect(isVariable(v)).toBe(true);
    expect(v.name).toBe('kernel');
    expect(v.trainable).toBe(true);
    expect(v.dtype).toBe('float64');
    expect(v.shape).toEqual([3]);
    expect(v.values).not.toBe(init.values);

    const nested = [[1, 2]];
    const w = variable(nested);
    nested[0]![0] = 9;
    expect(Array.from(w.dataSync())).toEqual([1, 2]);
    expect(w.dataSync()).not.toBe(w.values);
  });

  it('converts to a requested dtype, and rejects an unknown one', () => {
    expect(variable(tensor([1.5]), { dtype: 'float64' }).dtype).toBe('float64');
    const e = thrown(() => variable(tensor([1]), { dtype: 'q' as DType }), DTypeError);
    expect(e.argument).toBe('dtype');
    expect(e.message).toContain('"q"');
  });

  it('gets a unique default name and can be non-trainable', () => {
    const a = variable(tensor([1]));
    const b = variable(tensor([1]), { trainable: false });
    expect(a.name).not.toBe(b.name);
    expect(b.trainable).toBe(false);
  });

  it('assign copies the new values and bumps version; read() returns a snapshot', () => {
    const v = variable(tensor([1, 2], [2], 'float64'));
    const snapshot = v.read();
    const next = tensor([3, 4], [2], 'float64');
    expect(v.assign(next)).toBe(v);
    expect(v.version).toBe(1);
    expect(v.values).not.toBe(next.values);
    expect(Array.from(v.dataSync())).toEqual([3, 4]);
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2]);
    expect(Array.from(next.dataSync())).toEqual([3, 4]);
  });

  it('assign checks the shape, naming value, the expected and the received shape', () => {
    const v = variable(tensor([1, 2, 3, 4], [2, 2]), { name: 'bias' });
    const e = thrown(() => v.assign(tensor([1, 2, 3, 4], [4])), ShapeError);
    expect(e.argument).toBe('value');
    expect(e.message).toContain("Variable 'bias'.assign");
    expect(e.message).toContain('shape [2, 2]');
    expect(e.message).toContain('[4]');
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3, 4]);
    expect(v.version).toBe(0);
  });
});
