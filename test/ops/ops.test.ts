/** Forward values of the arithmetic, unary and reduction ops on small hand-computed cases, result dtypes, and typed errors on bad shapes. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import {
  abs,
  add,
  broadcastTo,
  clipByValue,
  concat,
  defineUnary,
  div,
  equal,
  exp,
  expm1,
  floor,
  gather,
  ge,
  gt,
  le,
  log,
  log1p,
  lt,
  matMul,
  max,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  relu,
  reshape,
  reverse,
  round,
  sigmoid,
  sign,
  slice,
  softplus,
  split,
  sqrt,
  square,
  stack,
  sub,
  sum,
  tanh,
  transpose,
  where,
} from '../../src/ops/index.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { thrown } from '../helpers/errors.js';
import { expectTensor, f32, f64, i32 } from '../helpers/tensors.js';

describe('broadcasting arithmetic', () => {
  const a23 = f32([
    [1, 2, 3],
    [4, 5, 6],
  ]);

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
    thrown(
      () =>
        mul(
          f32([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          f32([
            [1, 2],
            [3, 4],
          ]),
        ),
      ShapeError,
    );
    thrown(() => maximum(f32([1, 2, 3]), f32([1, 2])), ShapeError);
  });

  it('rejects operands that are neither tensors nor numbers', () => {
    const e = thrown(() => add(f32([1]), '1' as unknown as number), InvalidArgumentError);
    expect(e.message).toContain('a Tensor or a number');
  });
});

describe('result dtypes', () => {
  it('float64 stays float64, also with plain numbers and through every kind of op', () => {
    const x = f64([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    const ops: [string, Tensor][] = [
      ['add', add(x, x)],
      ['add number', add(x, 1)],
      ['number sub', sub(1, x)],
      ['mul', mul(x, 2)],
      ['div', div(x, 3)],
      ['maximum', maximum(x, 0.25)],
      ['pow', pow(x, 2)],
      ['neg', neg(x)],
      ['exp', exp(x)],
      ['sigmoid', sigmoid(x)],
      ['tanh', tanh(x)],
      ['clip', clipByValue(x, 0, 0.3)],
      ['sum', sum(x)],
      ['mean', mean(x, 0)],
      ['max', max(x, 1)],
      ['matMul', matMul(x, x)],
      ['reshape', reshape(x, [4])],
      ['transpose', transpose(x)],
      ['slice', slice(x, [0, 0], [1, 2])],
      ['concat', concat([x, x], 1)],
      ['stack', stack([x, x])],
      ['split', split(x, 2, 0)[0]!],
      ['reverse', reverse(x, 0)],
      ['broadcastTo', broadcastTo(x, [3, 2, 2])],
      ['gather', gather(x, i32([1]))],
      ['where', where(gt(x, 0.2), x, x)],
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
    const cube = defineUnary(
      'cube',
      (v) => v ** 3,
      (v) => 3 * v * v,
    );
    expectTensor(cube(f64([2, -1])), [2], [8, -1], 'float64');
    expect(cube.scalar.name).toBe('cube');
  });
});

describe('reductions', () => {
  const x = f32([
    [1, 2, 3],
    [4, 5, 6],
  ]);

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
    expectTensor(
      max(
        f32([
          [1, 9, 3],
          [7, 5, -6],
        ]),
        0,
      ),
      [3],
      [7, 9, 3],
    );
    expectTensor(
      max(
        f32([
          [-1, -9],
          [-7, -5],
        ]),
        1,
        true,
      ),
      [2, 1],
      [-1, -5],
    );
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
