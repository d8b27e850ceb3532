/** Forward values of every op on small hand-computed cases, result dtypes, and typed errors on bad shapes. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import {
  abs, add, broadcastTo, cast, clipByValue, concat, defineUnary, div, equal, exp, expm1, floor, gather, ge, gt, le,
  log, log1p, lt, matMul, max, maximum, mean, minimum, mul, neg, notEqual, pow, reciprocal, relu, reshape, reverse,
  round, sigmoid, sign, slice, softplus, split, sqrt, square, stack, sub, sum, tanh, transpose, where,
} from '../../src/ops/index.js';
import type { DType } from '../../src/tensor/dtype.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { thrown } from '../helpers/errors.js';

const f32 = (values: number[][] | number[] | number, shape?: number[]): Tensor => tensor(values, shape, 'float32');
const f64 = (values: number[][] | number[] | number, shape?: number[]): Tensor => tensor(values, shape, 'float64');
const i32 = (values: number[][] | number[] | number, shape?: number[]): Tensor => tensor(values, shape, 'int32');

/** Checks shape, dtype and values (close to float32 precision for float32 results, 1e-12 for float64). */
function expectTensor(t: Tensor, shape: number[], values: number[], dtype?: DType): void {
  expect(t.shape).toEqual(shape);
  if (dtype !== undefined) expect(t.dtype).toBe(dtype);
  expect(t.size).toBe(values.length);
  const digits = t.dtype === 'float64' ? 12 : 6;
  values.forEach((v, i) => {
    if (Number.isNaN(v)) expect(t.values[i]).toBeNaN();
    else if (!Number.isFinite(v)) expect(t.values[i]).toBe(v);
    else expect(t.values[i]).toBeCloseTo(v, digits);
  });
}

describe('broadcasting arithmetic', () => {
  const a23 = f32([[1, 2, 3], [4, 5, 6]]);

  it('[2,3] + [3]', () => {
    expectTensor(add(a23, f32([10, 20, 30])), [2, 3], [11, 22, 33, 14, 25, 36], 'float32');
    expectTensor(add(f32([10, 20, 30]), a23), [2, 3], [11, 22, 33, 14, 25, 36]);
  });

  it('[2,1] + [1,3] gives the outer sum', () => {
    expectTensor(add(f32([[1], [2]]), f32([[10, 20, 30]])), [2, 3], [11, 21, 31, 12, 22, 32]);
  });

  it('[2,3] with [2,1] and [1,3] (stretching inner and outer axes)', () => {
    expectTensor(sub(a23, f32([[1], [4]])), [2, 3], [0, 1, 2, 0, 1, 2]);
    expectTensor(mul(a23, f32([[1, 0, -1]])), [2, 3], [1, 0, -3, 4, 0, -6]);
  });

  it('with rank growth on both sides: [2,1,3] + [4,1]', () => {
    const a = f32([1, 2, 3, 4, 5, 6], [2, 1, 3]);
    const b = f32([0, 10, 20, 30], [4, 1]);
    const out = add(a, b);
    expect(out.shape).toEqual([2, 4, 3]);
    // out[i,j,k] = a[i,0,k] + b[j,0]
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 4; j++) {
        for (let k = 0; k < 3; k++) expect(out.values[(i * 4 + j) * 3 + k]).toBe(a.values[i * 3 + k]! + b.values[j]!);
      }
    }
  });

  it('with scalars: scalar tensors and plain numbers, on either side', () => {
    expectTensor(add(a23, f32(1)), [2, 3], [2, 3, 4, 5, 6, 7]);
    expectTensor(add(f32(1), a23), [2, 3], [2, 3, 4, 5, 6, 7]);
    expectTensor(sub(a23, 1), [2, 3], [0, 1, 2, 3, 4, 5]);
    expectTensor(sub(10, a23), [2, 3], [9, 8, 7, 6, 5, 4]);
    expectTensor(mul(2, f32(3)), [], [6]);
    expectTensor(add(f32([1], [1, 1]), 1), [1, 1], [2]);
    expectTensor(add(2, 3), [], [5], 'float32');
  });

  it('sub, mul, div, maximum, minimum, pow, neg elementwise', () => {
    const a = f32([1, -2, 3, 0.5]);
    const b = f32([2, 2, -1, 0.25]);
    expectTensor(sub(a, b), [4], [-1, -4, 4, 0.25]);
    expectTensor(mul(a, b), [4], [2, -4, -3, 0.125]);
    expectTensor(div(a, b), [4], [0.5, -1, -3, 2]);
    expectTensor(maximum(a, b), [4], [2, 2, 3, 0.5]);
    expectTensor(minimum(a, b), [4], [1, -2, -1, 0.25]);
    expectTensor(pow(f32([2, 3, 4, 9]), f32([3, 2, 0.5, -0.5])), [4], [8, 9, 2, 1 / 3]);
    expectTensor(neg(a), [4], [-1, 2, -3, -0.5]);
  });

  it('div by zero and pow of a negative base follow IEEE', () => {
    expectTensor(div(f32([1, -1, 0]), 0), [3], [Infinity, -Infinity, NaN]);
    expectTensor(pow(f32([-8]), 1 / 3), [1], [NaN]);
  });

  it('the comparisons return 1/0 with broadcasting', () => {
    const a = f32([1, 2, 3]);
    expectTensor(gt(a, 2), [3], [0, 0, 1]);
    expectTensor(ge(a, 2), [3], [0, 1, 1]);
    expectTensor(lt(a, 2), [3], [1, 0, 0]);
    expectTensor(le(a, 2), [3], [1, 1, 0]);
    expectTensor(equal(a, 2), [3], [0, 1, 0]);
    expectTensor(notEqual(a, 2), [3], [1, 0, 1]);
    expectTensor(gt(f32([[1], [3]]), f32([2, 0])), [2, 2], [0, 1, 1, 1]);
  });

  it('a shape mismatch is a ShapeError naming both shapes', () => {
    const e = thrown(() => add(f32([1, 2, 3]), f32([1, 2])), ShapeError);
    expect(e.message).toContain('add');
    expect(e.message).toContain('[3]');
    expect(e.message).toContain('[2]');
    thrown(() => mul(f32([[1, 2, 3], [4, 5, 6]]), f32([[1, 2], [3, 4]])), ShapeError);
    thrown(() => maximum(f32([1, 2, 3]), f32([1, 2])), ShapeError);
  });

  it('rejects operands that are neither tensors nor numbers', () => {
    const e = thrown(() => add(f32([1]), '1' as unknown as number), InvalidArgumentError);
    expect(e.message).toContain('a Tensor or a number');
  });
});

describe('result dtypes', () => {
  it('float64 stays float64, also with plain numbers and through every kind of op', () => {
    const x = f64([[0.1, 0.2], [0.3, 0.4]]);
    const ops: [string, Tensor][] = [
      ['add', add(x, x)], ['add number', add(x, 1)], ['number sub', sub(1, x)], ['mul', mul(x, 2)], ['div', div(x, 3)],
      ['maximum', maximum(x, 0.25)], ['pow', pow(x, 2)], ['neg', neg(x)], ['exp', exp(x)], ['sigmoid', sigmoid(x)],
      ['tanh', tanh(x)], ['clip', clipByValue(x, 0, 0.3)], ['sum', sum(x)], ['mean', mean(x, 0)], ['max', max(x, 1)],
      ['matMul', matMul(x, x)], ['reshape', reshape(x, [4])], ['transpose', transpose(x)], ['slice', slice(x, [0, 0], [1, 2])],
      ['concat', concat([x, x], 1)], ['stack', stack([x, x])], ['split', split(x, 2, 0)[0]!], ['reverse', reverse(x, 0)],
      ['broadcastTo', broadcastTo(x, [3, 2, 2])], ['gather', gather(x, i32([1]))], ['where', where(gt(x, 0.2), x, x)],
      ['gt', gt(x, 0.2)],
    ];
    for (const [name, t] of ops) expect(t.dtype, name).toBe('float64');
    // Exactly float64: 0.1 + 0.2 is not rounded to float32.
    expect(add(f64([0.1]), f64([0.2])).values[0]).toBe(0.1 + 0.2);
    expect(matMul(f64([[0.1]]), f64([[0.2]])).values[0]).toBe(0.1 * 0.2);
  });

  it('float32 with float64 computes in float32', () => {
    expect(add(f32([1]), f64([2])).dtype).toBe('float32');
    expect(matMul(f32([[1]]), f64([[2]])).dtype).toBe('float32');
  });

  it('int32 add, sub, mul (also with integer numbers) stay int32', () => {
    const a = i32([1, -2, 3]);
    const b = i32([10, 20, 30]);
    expectTensor(add(a, b), [3], [11, 18, 33], 'int32');
    expectTensor(sub(a, b), [3], [-9, -22, -27], 'int32');
    expectTensor(mul(a, b), [3], [10, -40, 90], 'int32');
    expectTensor(add(a, 1), [3], [2, -1, 4], 'int32');
    expectTensor(sub(1, a), [3], [0, 3, -2], 'int32');
    expectTensor(neg(a), [3], [-1, 2, -3], 'int32');
    expectTensor(add(a, i32([[100], [200]])), [2, 3], [101, 98, 103, 201, 198, 203], 'int32');
  });

  it('int32 with a fractional number or a float tensor is float', () => {
    expectTensor(add(i32([1, 2]), 0.5), [2], [1.5, 2.5], 'float32');
    expectTensor(mul(i32([1, 2]), f64([0.5, 0.5])), [2], [0.5, 1], 'float64');
  });

  it('int32 / int32 is a true (float) division', () => {
    expectTensor(div(i32([7, -7, 1]), i32([2, 2, 3])), [3], [3.5, -3.5, 1 / 3], 'float32');
    expectTensor(div(i32([7]), 2), [1], [3.5], 'float32');
  });

  it('unary ops on int32 and bool compute in float32', () => {
    expectTensor(exp(i32([0, 1])), [2], [1, Math.E], 'float32');
    expectTensor(sigmoid(tensor([true, false])), [2], [1 / (1 + Math.exp(-1)), 0.5], 'float32');
  });
});

describe('unary ops', () => {
  const x = f64([-2, -0.5, 0, 0.5, 3]);
  const cases: [string, (t: Tensor) => Tensor, (v: number) => number][] = [
    ['exp', exp, Math.exp],
    ['square', square, (v) => v * v],
    ['abs', abs, Math.abs],
    ['sign', sign, (v) => Math.sign(v)],
    ['sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v))],
    ['tanh', tanh, Math.tanh],
    ['relu', relu, (v) => Math.max(v, 0)],
    ['softplus', softplus, (v) => Math.log(1 + Math.exp(v))],
    ['expm1', expm1, Math.expm1],
    ['floor', floor, Math.floor],
  ];
  for (const [name, op, ref] of cases) {
    it(name, () => {
      expectTensor(op(x), [5], Array.from(x.values, ref), 'float64');
    });
  }

  it('log, sqrt, reciprocal, log1p on their domains', () => {
    const p = f64([0.25, 1, 4]);
    expectTensor(log(p), [3], [Math.log(0.25), 0, Math.log(4)]);
    expectTensor(sqrt(p), [3], [0.5, 1, 2]);
    expectTensor(reciprocal(p), [3], [4, 1, 0.25]);
    expectTensor(log1p(f64([-0.5, 0, 1e-10])), [3], [Math.log(0.5), 0, 1e-10]);
    expectTensor(log(f64([0, -1])), [2], [-Infinity, NaN]);
  });

  it('sigmoid and softplus are stable on both tails', () => {
    expectTensor(sigmoid(f64([-800, 800])), [2], [0, 1]);
    expect(sigmoid(f64([-40])).values[0]).toBeGreaterThan(0);
    expectTensor(softplus(f64([-800, 800])), [2], [0, 800]);
    expect(softplus(f64([-40])).values[0]).toBeCloseTo(Math.exp(-40), 25);
  });

  it("round is the banker's rounding of NumPy and TensorFlow", () => {
    expectTensor(round(f64([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6])), [7], [0, 2, 2, -0, -2, 2, -3]);
  });

  it('clipByValue', () => {
    expectTensor(clipByValue(f32([-3, -1, 0, 1, 3]), -1, 2), [5], [-1, -1, 0, 1, 2]);
  });

  it('keeps the shape, also of scalars and empty tensors', () => {
    expect(exp(f32([[1, 2]])).shape).toEqual([1, 2]);
    expectTensor(tanh(f32(0)), [], [0]);
    expect(relu(tensor([], [0, 3])).shape).toEqual([0, 3]);
    expectTensor(exp(1), [], [Math.E], 'float32');
  });

  it('defineUnary makes an op from a scalar function', () => {
    const cube = defineUnary('cube', (v) => v ** 3, (v) => 3 * v * v);
    expectTensor(cube(f64([2, -1])), [2], [8, -1], 'float64');
    expect(cube.scalar.name).toBe('cube');
  });
});

describe('reductions', () => {
  const x = f32([[1, 2, 3], [4, 5, 6]]);

  it('sum over all, each and negative axes, with and without keepDims', () => {
    expectTensor(sum(x), [], [21]);
    expectTensor(sum(x, 0), [3], [5, 7, 9]);
    expectTensor(sum(x, 1), [2], [6, 15]);
    expectTensor(sum(x, -1, true), [2, 1], [6, 15]);
    expectTensor(sum(x, [0, 1], true), [1, 1], [21]);
    expectTensor(sum(x, undefined, true), [1, 1], [21]);
  });

  it('mean and max', () => {
    expectTensor(mean(x), [], [3.5]);
    expectTensor(mean(x, 0), [3], [2.5, 3.5, 4.5]);
    expectTensor(mean(x, 1, true), [2, 1], [2, 5]);
    expectTensor(max(x), [], [6]);
    expectTensor(max(f32([[1, 9, 3], [7, 5, -6]]), 0), [3], [7, 9, 3]);
    expectTensor(max(f32([[-1, -9], [-7, -5]]), 1, true), [2, 1], [-1, -5]);
    expectTensor(max(f32([1, NaN, 3])), [], [NaN]);
  });

  it('over the middle axis of a rank-3 tensor and over two axes', () => {
    const t = f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
    expectTensor(sum(t, 1), [2, 2], [9, 12, 27, 30]);
    expectTensor(sum(t, [0, 2]), [3], [1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12]);
    expectTensor(max(t, [2, 0], true), [1, 3, 1], [8, 10, 12]);
  });

  it('accumulate float32 sums in float64', () => {
    const many = tensor(new Float32Array(100_000).fill(0.1));
    expect(sum(many).values[0]).toBe(Math.fround(100_000 * Math.fround(0.1)));
  });

  it('reject an axis out of range', () => {
    const e = thrown(() => sum(x, 2), InvalidArgumentError);
    expect(e.message).toContain('axis');
    expect(e.message).toContain('[-2, 1]');
    thrown(() => mean(x, -3), InvalidArgumentError);
    thrown(() => max(x, 0.5), InvalidArgumentError);
  });
});

describe('matMul', () => {
  const a = f32([[1, 2, 3], [4, 5, 6]]); // [2,3]
  const b = f32([[7, 8], [9, 10], [11, 12]]); // [3,2]

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
  const x = f32([[1, 2, 3], [4, 5, 6]]);

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
    const y = tensor(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
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
    const table = f32([[1, 2], [3, 4], [5, 6]]);
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
    const cond = tensor([[true, false, true], [false, true, false]]);
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
