/** Forward values of matMul and the shape ops on small hand-computed cases, and typed errors on bad shapes. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import {
  add,
  broadcastTo,
  cast,
  concat,
  gather,
  matMul,
  reshape,
  reverse,
  slice,
  split,
  stack,
  transpose,
  where,
} from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/tensor.js';
import { thrown } from '../helpers/errors.js';
import { expectTensor, f32, f64, i32 } from '../helpers/tensors.js';

describe('matMul', () => {
  const a = f32([
    [1, 2, 3],
    [4, 5, 6],
  ]); // [2,3]
  const b = f32([
    [7, 8],
    [9, 10],
    [11, 12],
  ]); // [3,2]

  it('[2,3]·[3,2]', () => {
    expectTensor(matMul(a, b), [2, 2], [58, 64, 139, 154], 'float32');
  });

  it('with every transpose combination', () => {
    const aT = transpose(a);
    const bT = transpose(b);
    expectTensor(matMul(aT, b, true, false), [2, 2], [58, 64, 139, 154]);
    expectTensor(matMul(a, bT, false, true), [2, 2], [58, 64, 139, 154]);
    expectTensor(matMul(aT, bT, true, true), [2, 2], [58, 64, 139, 154]);
    // Transposes that change the result shape: aᵀ·a is [3,3], a·aᵀ is [2,2].
    expectTensor(matMul(a, a, true, false), [3, 3], [17, 22, 27, 22, 29, 36, 27, 36, 45]);
    expectTensor(matMul(a, a, false, true), [2, 2], [14, 32, 32, 77]);
  });

  it('with a rank-3 a: [2,2,3]·[3,2] keeps the leading axis', () => {
    const a3 = f32([1, 2, 3, 4, 5, 6, 0, 1, 0, 1, 0, 0], [2, 2, 3]);
    expectTensor(matMul(a3, b), [2, 2, 2], [58, 64, 139, 154, 9, 10, 7, 8]);
    expectTensor(matMul(a3, transpose(b), false, true), [2, 2, 2], [58, 64, 139, 154, 9, 10, 7, 8]);
  });

  it('with vectors as [1,k] and [k,1]', () => {
    expectTensor(matMul(f32([[1, 2, 3]]), f32([[4], [5], [6]])), [1, 1], [32]);
    expectTensor(matMul(f32([[1], [2]]), f32([[3, 4]])), [2, 2], [3, 4, 6, 8]);
  });

  it('with empty inner dimension gives zeros', () => {
    expectTensor(matMul(tensor([], [2, 0]), tensor([], [0, 3])), [2, 3], [0, 0, 0, 0, 0, 0]);
  });

  it('rejects mismatched inner sizes and bad ranks with ShapeErrors naming the operand', () => {
    const inner = thrown(() => matMul(a, a), ShapeError);
    expect(inner.argument).toBe('b');
    expect(inner.message).toContain('matMul');
    expect(inner.message).toContain('3 rows');
    expect(inner.message).toContain('[2, 3]');
    const rank = thrown(() => matMul(f32([1, 2]), b), ShapeError);
    expect(rank.argument).toBe('a');
    expect(thrown(() => matMul(a, f32([1, 2, 3])), ShapeError).argument).toBe('b');
    thrown(() => matMul(f32([1, 2, 3, 4, 5, 6], [1, 2, 3]), b, true), ShapeError);
    thrown(() => matMul(a, b, false, true), ShapeError);
  });
});

describe('shape ops', () => {
  const x = f32([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('reshape, with an inferred dimension', () => {
    expectTensor(reshape(x, [3, 2]), [3, 2], [1, 2, 3, 4, 5, 6]);
    expectTensor(reshape(x, [-1]), [6], [1, 2, 3, 4, 5, 6]);
    expectTensor(reshape(x, [1, -1, 2]), [1, 3, 2], [1, 2, 3, 4, 5, 6]);
    expectTensor(reshape(f32([5]), []), [], [5]);
    expect(reshape(x, [6]).dtype).toBe('float32');
  });

  it('reshape rejects a wrong size or two -1s', () => {
    const e = thrown(() => reshape(x, [4, 2]), ShapeError);
    expect(e.argument).toBe('shape');
    expect(e.message).toContain('6 elements');
    expect(e.message).toContain('[4, 2]');
    thrown(() => reshape(x, [-1, -1]), ShapeError);
    thrown(() => reshape(x, [4, -1]), ShapeError);
    thrown(() => reshape(x, [-2, -3]), ShapeError);
  });

  it('broadcastTo', () => {
    expectTensor(broadcastTo(f32([1, 2, 3]), [2, 3]), [2, 3], [1, 2, 3, 1, 2, 3]);
    expectTensor(broadcastTo(f32([[1], [2]]), [2, 3]), [2, 3], [1, 1, 1, 2, 2, 2]);
    expectTensor(broadcastTo(f32(7), [2, 2]), [2, 2], [7, 7, 7, 7]);
    expect(broadcastTo(x, [2, 3])).toBe(x);
    thrown(() => broadcastTo(f32([1, 2]), [3]), ShapeError);
    thrown(() => broadcastTo(x, [3]), ShapeError);
  });

  it('transpose', () => {
    expectTensor(transpose(x), [3, 2], [1, 4, 2, 5, 3, 6]);
    const t = f32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 3, 2]);
    // out[k,i,j] = t[i,j,k]
    expectTensor(transpose(t, [2, 0, 1]), [2, 2, 3], [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11]);
    expectTensor(transpose(t), [2, 3, 2], [0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11]);
    const e = thrown(() => transpose(x, [0, 0]), InvalidArgumentError);
    expect(e.argument).toBe('perm');
    thrown(() => transpose(x, [0]), InvalidArgumentError);
  });

  it('slice', () => {
    expectTensor(slice(x, [0, 1], [2, 2]), [2, 2], [2, 3, 5, 6]);
    expectTensor(slice(x, [1, 0]), [1, 3], [4, 5, 6]);
    expectTensor(slice(x, [0, 2], [-1, 1]), [2, 1], [3, 6]);
    expectTensor(slice(x, [0, 3], [2, 0]), [2, 0], []);
    // Windows that are one run of the buffer (copied in one piece) and ones that are not.
    const y = tensor(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    expectTensor(slice(y, [1, 1, 0], [1, 2, 4]), [1, 2, 4], [16, 17, 18, 19, 20, 21, 22, 23]);
    expectTensor(slice(y, [0, 2, 1], [1, 1, 2]), [1, 1, 2], [9, 10]);
    expectTensor(slice(y, [0, 2, 0], [2, 1, 4]), [2, 1, 4], [8, 9, 10, 11, 20, 21, 22, 23]);
    expectTensor(slice(reshape(y, [24]), [5], [7]), [7], [5, 6, 7, 8, 9, 10, 11]);
  });

  it('slice rejects windows outside the tensor and wrong lengths, naming the argument', () => {
    const outside = thrown(() => slice(x, [1, 1], [2, 1]), ShapeError);
    expect(outside.message).toContain('slice');
    expect(outside.message).toContain('inside [2, 3]');
    expect(outside.message).toContain('begin [1, 1], size [2, 1]');
    thrown(() => slice(x, [-1, 0]), ShapeError);
    thrown(() => slice(x, [0, 4]), ShapeError);
    expect(thrown(() => slice(x, [0]), ShapeError).argument).toBe('begin');
    const size = thrown(() => slice(x, [0, 0], [1]), ShapeError);
    expect(size.argument).toBe('size');
    expect(size.message).toContain('2 entries');
  });

  it('concat along each axis', () => {
    const y = f32([[7], [8]]);
    expectTensor(concat([x, y], 1), [2, 4], [1, 2, 3, 7, 4, 5, 6, 8]);
    expectTensor(concat([x, y], -1), [2, 4], [1, 2, 3, 7, 4, 5, 6, 8]);
    expectTensor(concat([x, f32([[9, 9, 9]])], 0), [3, 3], [1, 2, 3, 4, 5, 6, 9, 9, 9]);
    expectTensor(concat([x]), [2, 3], [1, 2, 3, 4, 5, 6]);
    expect(concat([f64([1]), f64([2])]).dtype).toBe('float64');
    expect(concat([i32([1]), i32([2])]).dtype).toBe('int32');
  });

  it('concat rejects mismatched shapes with a ShapeError naming the tensor', () => {
    const e = thrown(() => concat([x, f32([[1, 2]])], 0), ShapeError);
    expect(e.argument).toBe('tensors[1]');
    expect(e.message).toContain('concat');
    expect(e.message).toContain('[null, 3]');
    expect(e.message).toContain('[1, 2]');
    thrown(() => concat([x, f32([1, 2, 3])], 0), ShapeError);
    thrown(() => concat([], 0), InvalidArgumentError);
    thrown(() => concat([x, x], 2), InvalidArgumentError);
  });

  it('stack', () => {
    const a = f32([1, 2]);
    const b = f32([3, 4]);
    expectTensor(stack([a, b]), [2, 2], [1, 2, 3, 4]);
    expectTensor(stack([a, b], 1), [2, 2], [1, 3, 2, 4]);
    expectTensor(stack([a, b], -1), [2, 2], [1, 3, 2, 4]);
    expectTensor(stack([f32(1), f32(2)]), [2], [1, 2]);
    thrown(() => stack([a, f32([1, 2, 3])]), ShapeError);
    thrown(() => stack([]), InvalidArgumentError);
    thrown(() => stack([a, b], 2), InvalidArgumentError);
  });

  it('split into equal pieces and by sizes', () => {
    const [p, q, r] = split(x, 3, 1);
    expectTensor(p!, [2, 1], [1, 4]);
    expectTensor(q!, [2, 1], [2, 5]);
    expectTensor(r!, [2, 1], [3, 6]);
    const [s, t, u] = split(x, [2, 0, 1], -1);
    expectTensor(s!, [2, 2], [1, 2, 4, 5]);
    expectTensor(t!, [2, 0], []);
    expectTensor(u!, [2, 1], [3, 6]);
    const rows = split(x, 2);
    expectTensor(rows[1]!, [1, 3], [4, 5, 6]);
  });

  it('split rejects sizes that do not fit with a ShapeError naming sizes', () => {
    const uneven = thrown(() => split(x, 2, 1), ShapeError);
    expect(uneven.argument).toBe('sizes');
    expect(uneven.message).toContain('split');
    expect(uneven.message).toContain('dividing 3');
    const sum = thrown(() => split(x, [1, 1], 1), ShapeError);
    expect(sum.message).toContain('summing to 3');
    expect(sum.message).toContain('[1, 1]');
    thrown(() => split(x, [4, -1], 1), ShapeError);
    thrown(() => split(x, [1.5, 1.5], 1), ShapeError);
    thrown(() => split(x, -1, 1), ShapeError);
    thrown(() => split(x, 0, 1), ShapeError);
    thrown(() => split(x, 1.5, 1), ShapeError);
    thrown(() => split(x, 1, 2), InvalidArgumentError);
  });

  it('gather', () => {
    const table = f32([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expectTensor(gather(table, i32([2, 0, 2])), [3, 2], [5, 6, 1, 2, 5, 6]);
    expectTensor(gather(table, i32([[1], [0]])), [2, 1, 2], [3, 4, 1, 2]);
    expectTensor(gather(f32([10, 20, 30]), i32(1)), [], [20]);
    const e = thrown(() => gather(table, i32([3])), InvalidArgumentError);
    expect(e.argument).toBe('indices');
    expect(e.message).toContain('[0, 2]');
    expect(e.message).toContain('received 3');
    thrown(() => gather(table, f32([0.5])), InvalidArgumentError);
    thrown(() => gather(f32(1), i32([0])), ShapeError);
  });

  it('reverse', () => {
    expectTensor(reverse(x, 0), [2, 3], [4, 5, 6, 1, 2, 3]);
    expectTensor(reverse(x, 1), [2, 3], [3, 2, 1, 6, 5, 4]);
    expectTensor(reverse(x, -1), [2, 3], [3, 2, 1, 6, 5, 4]);
    const t = f32([0, 1, 2, 3, 4, 5, 6, 7], [2, 2, 2]);
    expectTensor(reverse(t, 1), [2, 2, 2], [2, 3, 0, 1, 6, 7, 4, 5]);
    thrown(() => reverse(x, 2), InvalidArgumentError);
  });

  it('cast', () => {
    const v = f32([-1.7, -0.5, 0, 0.5, 2.9]);
    expectTensor(cast(v, 'int32'), [5], [-1, -0, 0, 0, 2], 'int32');
    expectTensor(cast(v, 'bool'), [5], [1, 1, 0, 1, 1], 'bool');
    expectTensor(cast(i32([1, 2]), 'float64'), [2], [1, 2], 'float64');
    expect(cast(f64([0.1]), 'float32').values[0]).toBe(Math.fround(0.1));
    expect(cast(v, 'float32')).toBe(v);
  });

  it('where, with broadcasting of condition and branches', () => {
    const cond = tensor([
      [true, false, true],
      [false, true, false],
    ]);
    expectTensor(where(cond, x, f32(0)), [2, 3], [1, 0, 3, 0, 5, 0]);
    expectTensor(where(tensor([true, false, false]), x, f32([[-1], [-2]])), [2, 3], [1, -1, -1, 4, -2, -2]);
    expectTensor(where(f32([[1], [0]]), f32([7, 8, 9]), x), [2, 3], [7, 8, 9, 4, 5, 6]);
    expect(where(cond, f64([1]), f64([2])).dtype).toBe('float64');
    thrown(() => where(tensor([true, false]), x, x), ShapeError);
  });

  it('ops never change their inputs', () => {
    const before = Array.from(x.values);
    add(x, 1);
    reshape(x, [6]);
    transpose(x);
    reverse(x, 1);
    slice(x, [0, 0], [1, 1]);
    split(x, 3, 1);
    concat([x, x]);
    expect(Array.from(x.values)).toEqual(before);
    expect(x.shape).toEqual([2, 3]);
  });
});
