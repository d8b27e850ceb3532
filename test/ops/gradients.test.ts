/**
 * Every differentiable op's gradient against float64 central finite differences (test/helpers), at seeded
 * random, non-symmetric inputs kept away from kinks; then the tape's own behaviour.
 */
import { describe, expect, it } from 'vitest';
import { isRecording, isTracked, noGrad, record, valueAndGrads } from '../../src/autodiff/tape.js';
import {
  abs,
  add,
  broadcastTo,
  cast,
  clipByValue,
  concat,
  defineUnary,
  div,
  exp,
  expm1,
  gather,
  log,
  log1p,
  matMul,
  max,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  pow,
  reciprocal,
  relu,
  reshape,
  reverse,
  sigmoid,
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
import { Random } from '../../src/random/rng.js';
import { Tensor, tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/variable.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';

const rng = new Random(20240607);
const rand = (shape: number[], range?: { lo?: number; hi?: number; minAbs?: number }): Tensor =>
  randomFloat64(rng, shape, range);

/** The smallest |a − b| over the broadcast pairs: how far maximum/minimum are from their kink. */
function minGap(a: Tensor, b: Tensor): number {
  return Math.min(...noGrad(() => abs(sub(a, b))).values);
}

/** Random a, b of the given shapes whose broadcast pairs differ by at least `gap`. */
function separated(shapeA: number[], shapeB: number[], gap = 0.05): [Tensor, Tensor] {
  for (;;) {
    const a = rand(shapeA);
    const b = rand(shapeB);
    if (minGap(a, b) >= gap) return [a, b];
  }
}

const BROADCAST_CASES: [string, number[], number[]][] = [
  ['same shape', [2, 3], [2, 3]],
  ['[2,3] with [3]', [2, 3], [3]],
  ['[3] with [2,3]', [3], [2, 3]],
  ['[2,1] with [1,3]', [2, 1], [1, 3]],
  ['[2,3] with a scalar', [2, 3], []],
  ['a scalar with [2,3]', [], [2, 3]],
  ['[4,1,3] with [2,1]', [4, 1, 3], [2, 1]],
];

describe('gradients match float64 finite differences', () => {
  describe('broadcasting binary ops', () => {
    for (const [name, sa, sb] of BROADCAST_CASES) {
      it(`add, sub, mul: ${name}`, () => {
        const a = rand(sa);
        const b = rand(sb);
        checkGradients((x, y) => add(x, y), [a, b]);
        checkGradients((x, y) => sub(x, y), [a, b]);
        checkGradients((x, y) => mul(x, y), [a, b]);
      });

      it(`div: ${name}`, () => {
        checkGradients((x, y) => div(x, y), [rand(sa), rand(sb, { minAbs: 0.5 })]);
      });

      it(`maximum, minimum: ${name}`, () => {
        const [a, b] = separated(sa, sb);
        checkGradients((x, y) => maximum(x, y), [a, b]);
        checkGradients((x, y) => minimum(x, y), [a, b]);
      });

      it(`pow: ${name}`, () => {
        checkGradients((x, y) => pow(x, y), [rand(sa, { lo: 0.5, hi: 2 }), rand(sb, { lo: -2, hi: 2 })]);
      });
    }

    it('with plain number operands on either side', () => {
      const x = rand([2, 3], { minAbs: 0.5 });
      checkGradients((v) => add(v, 1.5), [x]);
      checkGradients((v) => sub(2, v), [x]);
      checkGradients((v) => mul(-0.7, v), [x]);
      checkGradients((v) => div(v, 3), [x]);
      checkGradients((v) => div(3, v), [x]);
      checkGradients((v) => maximum(v, 0.13), [x]);
      checkGradients((v) => minimum(0.13, v), [x]);
      checkGradients((v) => pow(v, 3), [x]); // negative bases with an integer exponent
      checkGradients((v) => pow(1.7, v), [x]);
    });

    it('when both operands are the same tensor', () => {
      const x = rand([2, 3], { lo: 0.5, hi: 2 });
      checkGradients((v) => mul(v, v), [x]);
      checkGradients((v) => div(v, add(v, 1)), [x]);
      checkGradients((v) => pow(v, v), [x]);
    });
  });

  describe('unary ops', () => {
    const shape = [3, 4];
    const cases: [string, (x: Tensor) => Tensor, { lo?: number; hi?: number; minAbs?: number }][] = [
      ['neg', neg, {}],
      ['exp', exp, {}],
      ['log', log, { lo: 0.2, hi: 3 }],
      ['sqrt', sqrt, { lo: 0.2, hi: 3 }],
      ['square', square, {}],
      ['abs', abs, { minAbs: 0.05 }],
      ['reciprocal', reciprocal, { minAbs: 0.3 }],
      ['sigmoid', sigmoid, { lo: -6, hi: 6 }],
      ['tanh', tanh, { lo: -3, hi: 3 }],
      ['relu', relu, { minAbs: 0.05 }],
      ['softplus', softplus, { lo: -6, hi: 6 }],
      ['log1p', log1p, { lo: -0.7, hi: 3 }],
      ['expm1', expm1, {}],
    ];
    for (const [name, op, range] of cases) {
      it(name, () => {
        checkGradients((x) => op(x), [rand(shape, range)]);
      });
    }

    it('clipByValue (inside, below and above the range)', () => {
      const x = rand([3, 4], { lo: -2, hi: 2 });
      const kinks = [-0.5, 0.7];
      for (const v of x.values) for (const k of kinks) expect(Math.abs(v - k)).toBeGreaterThan(1e-3);
      const report = checkGradients((v) => clipByValue(v, -0.5, 0.7), [x]);
      const inside = Array.from(x.values, (v) => v > -0.5 && v < 0.7);
      expect(inside.some(Boolean) && !inside.every(Boolean)).toBe(true);
      report.analytic[0]!.forEach((g, i) => {
        if (!inside[i]) expect(Math.abs(g)).toBe(0);
      });
    });

    it('a composition of unary and binary ops', () => {
      checkGradients((x, w) => tanh(add(mul(sigmoid(x), w), softplus(w))), [rand([2, 3]), rand([3])]);
    });
  });

  describe('reductions', () => {
    const axes: (number | number[] | undefined)[] = [undefined, 0, 1, -1, [0, 2], [2, 0, 1]];
    for (const axis of axes) {
      for (const keepDims of [false, true]) {
        it(`sum, mean, max over axis ${JSON.stringify(axis)}${keepDims ? ' keeping dims' : ''}`, () => {
          const x = rand([2, 3, 4]);
          checkGradients((v) => sum(v, axis, keepDims), [x]);
          checkGradients((v) => mean(v, axis, keepDims), [x]);
          checkGradients((v) => max(v, axis, keepDims), [x]);
        });
      }
    }

    it('max shares the gradient equally among tied maxima (as TF and JAX)', () => {
      const x = variable(
        tensor(
          [
            [1, 3, 3],
            [2, 0, 2],
            [5, 4, 5],
          ],
          undefined,
          'float64',
        ),
      );
      const rows = valueAndGrads(() => mul(max(x, 1), tensor([1, 2, 3], [3], 'float64')), [x]).grads[0]!;
      expect(Array.from(rows.values)).toEqual([0, 0.5, 0.5, 1, 0, 1, 1.5, 0, 1.5]);
      const all = valueAndGrads(() => max(x), [x]).grads[0]!;
      expect(Array.from(all.values)).toEqual([0, 0, 0, 0, 0, 0, 0.5, 0, 0.5]);
      const cols = valueAndGrads(() => max(x, 0, true), [x]).grads[0]!;
      expect(Array.from(cols.values)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    });

    it('of a scalar and of a vector', () => {
      checkGradients((v) => sum(v), [rand([])]);
      checkGradients((v) => mean(v, 0), [rand([5])]);
      checkGradients((v) => max(v, -1, true), [rand([5])]);
    });
  });

  describe('matMul', () => {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        it(`transposeA=${transposeA}, transposeB=${transposeB}`, () => {
          // op(a) is [3,4], op(b) is [4,5]
          const a = rand(transposeA ? [4, 3] : [3, 4]);
          const b = rand(transposeB ? [5, 4] : [4, 5]);
          checkGradients((x, y) => matMul(x, y, transposeA, transposeB), [a, b]);
        });
      }
    }

    it('with a rank-3 a: [2,3,4]·[4,5]', () => {
      checkGradients((x, y) => matMul(x, y), [rand([2, 3, 4]), rand([4, 5])]);
    });

    it('with a rank-3 a and a transposed b: [2,3,4]·[5,4]ᵀ', () => {
      checkGradients((x, y) => matMul(x, y, false, true), [rand([2, 3, 4]), rand([5, 4])]);
    });

    it('with awkward sizes: [1,1]·[1,1], [1,7]·[7,1], [5,1]·[1,3]', () => {
      checkGradients((x, y) => matMul(x, y), [rand([1, 1]), rand([1, 1])]);
      checkGradients((x, y) => matMul(x, y), [rand([1, 7]), rand([7, 1])]);
      checkGradients((x, y) => matMul(x, y), [rand([5, 1]), rand([1, 3])]);
    });

    it('the same tensor on both sides: x·xᵀ', () => {
      checkGradients((x) => matMul(x, x, false, true), [rand([3, 4])]);
    });
  });

  describe('shape ops', () => {
    it('reshape (with an inferred dimension)', () => {
      checkGradients((x) => reshape(x, [4, -1]), [rand([2, 3, 2])]);
      checkGradients((x) => reshape(x, []), [rand([1, 1])]);
    });

    it('broadcastTo', () => {
      checkGradients((x) => broadcastTo(x, [2, 3]), [rand([3])]);
      checkGradients((x) => broadcastTo(x, [2, 3]), [rand([2, 1])]);
      checkGradients((x) => broadcastTo(x, [4, 2, 3]), [rand([1, 3])]);
      checkGradients((x) => broadcastTo(x, [2, 3]), [rand([])]);
      checkGradients((x) => broadcastTo(x, [2, 3]), [rand([2, 3])]);
    });

    it('transpose (default and explicit permutations)', () => {
      checkGradients((x) => transpose(x), [rand([2, 3])]);
      checkGradients((x) => transpose(x), [rand([2, 3, 4])]);
      checkGradients((x) => transpose(x, [1, 2, 0]), [rand([2, 3, 4])]);
      checkGradients((x) => transpose(x, [0, 2, 1]), [rand([2, 3, 4])]);
    });

    it('slice', () => {
      checkGradients((x) => slice(x, [1, 1], [2, 2]), [rand([3, 4])]);
      checkGradients((x) => slice(x, [0, 1, 2], [-1, 1, -1]), [rand([2, 3, 4])]);
      checkGradients((x) => slice(x, [1, 0]), [rand([3, 4])]);
      checkGradients((x) => slice(x, [1, 1, 0], [1, 2, 4]), [rand([2, 3, 4])]);
      checkGradients((x) => slice(x, [3], [5]), [rand([9])]);
    });

    it('concat along each axis, of three tensors', () => {
      checkGradients((x, y, z) => concat([x, y, z], 0), [rand([1, 2, 3]), rand([2, 2, 3]), rand([1, 2, 3])]);
      checkGradients((x, y, z) => concat([x, y, z], 1), [rand([2, 1, 3]), rand([2, 3, 3]), rand([2, 2, 3])]);
      checkGradients((x, y, z) => concat([x, y, z], -1), [rand([2, 2, 1]), rand([2, 2, 2]), rand([2, 2, 4])]);
    });

    it('concat of a tensor with itself', () => {
      checkGradients((x) => concat([x, x], 1), [rand([2, 3])]);
    });

    it('stack along a new first, middle and last axis', () => {
      for (const axis of [0, 1, 2, -1]) {
        checkGradients((x, y, z) => stack([x, y, z], axis), [rand([2, 3]), rand([2, 3]), rand([2, 3])]);
      }
    });

    it('split into equal pieces and given sizes (several outputs)', () => {
      checkGradients((x) => split(x, 2, 1), [rand([3, 4])]);
      checkGradients((x) => split(x, [1, 3, 0, 2], -1), [rand([2, 6])]);
      // Only some pieces used: the others get zero gradient.
      checkGradients((x) => split(x, [2, 1], 0)[1]!, [rand([3, 2])]);
      // Pieces swapped back together.
      checkGradients(
        (x) => {
          const [p, q] = split(x, [1, 2], 1);
          return concat([q!, p!], 1);
        },
        [rand([2, 3])],
      );
    });

    it('gather (repeated and missing rows, matrix of indices)', () => {
      const idx = tensor([3, 0, 3, 1], [4], 'int32');
      checkGradients((x) => gather(x, idx), [rand([5, 2])]);
      const idx2 = tensor(
        [
          [2, 2, 0],
          [1, 0, 0],
        ],
        undefined,
        'int32',
      );
      checkGradients((x) => gather(x, idx2), [rand([3, 2, 2])]);
      checkGradients((x) => gather(x, tensor([1, 1], [2], 'int32')), [rand([2])]);
    });

    it('reverse along each axis', () => {
      for (const axis of [0, 1, 2, -1]) checkGradients((x) => reverse(x, axis), [rand([2, 3, 4])]);
    });

    it('cast to float64 is the identity; to float32 and back passes the gradient (checked coarsely)', () => {
      checkGradients((x) => cast(x, 'float64'), [rand([2, 3])]);
      // float32 rounding of the values (~6e-8 relative) makes the difference quotient noisy: a large step is
      // exact for this linear map up to that rounding.
      const report = checkGradients((x) => cast(mul(cast(x, 'float32'), 2), 'float64'), [rand([2, 3])], {
        eps: 1e-2,
        rtol: 1e-4,
      });
      expect(report.analytic[0]!.length).toBe(6);
    });

    it('where (with broadcasting of condition, a and b)', () => {
      const cond = tensor([
        [true, false, true],
        [false, false, true],
      ]);
      checkGradients((a, b) => where(cond, a, b), [rand([2, 3]), rand([2, 3])]);
      checkGradients((a, b) => where(cond, a, b), [rand([3]), rand([2, 1])]);
      checkGradients((a, b) => where(tensor([1, 0, 1], [3], 'bool'), a, b), [rand([2, 3]), rand([])]);
      // Where one side is never chosen, its gradient is exactly zero.
      const report = checkGradients((a, b) => where(tensor([true]), a, b), [rand([2]), rand([2])]);
      expect(Array.from(report.analytic[1]!)).toEqual([0, 0]);
    });
  });

  it('a small GRU-like step built from ops: [B,I]·[I,3U], split z|r|h', () => {
    const [b, i, u] = [2, 3, 2];
    checkGradients(
      (x, h, w, rw, bias) => {
        const [xz, xr, xh] = split(add(matMul(x, w), bias), 3, 1);
        const [hz, hr, hh] = split(matMul(h, rw), 3, 1);
        const z = sigmoid(add(xz!, hz!));
        const r = sigmoid(add(xr!, hr!));
        const hc = tanh(add(xh!, mul(r, hh!)));
        return add(mul(z, h), mul(sub(1, z), hc));
      },
      [rand([b, i]), rand([b, u]), rand([i, 3 * u]), rand([u, 3 * u]), rand([3 * u])],
    );
  });
});

describe('checkGradients helper', () => {
  it('catches a wrong derivative', () => {
    const badExp = defineUnary('badExp', Math.exp, (x) => Math.cosh(x));
    expect(() => checkGradients((x) => badExp(x), [rand([3])])).toThrow(/gradient mismatch .* at inputs\[0\]/);
  });

  it('catches a gradient landing on the wrong element, which an all-ones weighting would miss', () => {
    // transpose's values with reshape's gradient rule: every element gets some dy, but the wrong one.
    const badTranspose = (x: Tensor): Tensor => {
      const y = noGrad(() => transpose(x));
      return record(new Tensor(y.values, y.shape, y.dtype), [x], (dy) => [reshape(dy, x.shape)]);
    };
    expect(() => checkGradients((x) => badTranspose(x), [rand([2, 3])])).toThrow(/gradient mismatch/);
    // Under the plain sum of outputs, the wrong rule and the right one agree.
    const v = variable(rand([2, 3]));
    const bad = valueAndGrads(() => badTranspose(v), [v]).grads[0]!;
    const good = valueAndGrads(() => transpose(v), [v]).grads[0]!;
    expect(Array.from(bad.values)).toEqual(Array.from(good.values));
  });

  it('rejects inputs that are not float64', () => {
    expect(() => checkGradients((x) => x, [tensor([1, 2])])).toThrow(/float64/);
  });

  it('can sample elements of large inputs', () => {
    const report = checkGradients((x) => square(x), [rand([50])], { maxElementsPerInput: 5 });
    expect(report.numeric[0]!.filter((v) => !Number.isNaN(v)).length).toBe(5);
  });
});

describe('the tape', () => {
  const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, shape ?? [values.length], 'float64');

  it('backpropagates through a chain of 5,000 ops without overflowing the stack', () => {
    const x = variable(f64([0.5, -2]));
    const steps = 5000;
    const { value, grads } = valueAndGrads(() => {
      let y: Tensor = x;
      for (let i = 0; i < steps; i++) y = add(mul(y, 0.999), 0.001);
      return y;
    }, [x]);
    const k = 0.999 ** steps;
    expect(grads[0]!.dtype).toBe('float64');
    for (const g of grads[0]!.values) expect(g).toBeCloseTo(k, 12);
    // y_n = k·x + (1 − k): the fixed point 1 attracts with factor 0.999.
    expect(value.values[0]).toBeCloseTo(k * 0.5 + (1 - k), 10);
  });

  it('gives zeros (of the right shape and dtype) for variables the value does not depend on', () => {
    const x = variable(f64([1, 2]));
    const unused = variable(f64([1, 2, 3, 4, 5, 6], [2, 3]));
    const unused32 = variable(tensor([1, 2, 3]));
    const { grads } = valueAndGrads(() => mul(x, x), [x, unused, unused32]);
    expect(Array.from(grads[0]!.values)).toEqual([2, 4]);
    expect(grads[1]!.shape).toEqual([2, 3]);
    expect(grads[1]!.dtype).toBe('float64');
    expect(Array.from(grads[1]!.values)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(grads[2]!.shape).toEqual([3]);
    expect(grads[2]!.dtype).toBe('float32');
    expect(Array.from(grads[2]!.values)).toEqual([0, 0, 0]);
  });

  it('gives zeros when the value does not depend on any variable, and ones for the value itself', () => {
    const x = variable(f64([1, 2]));
    expect(Array.from(valueAndGrads(() => tensor([3], [1], 'float64'), [x]).grads[0]!.values)).toEqual([0, 0]);
    expect(Array.from(valueAndGrads(() => x, [x]).grads[0]!.values)).toEqual([1, 1]);
  });

  it('accumulates gradients when a tensor is used more than once', () => {
    const x = variable(f64([0.5, -1.5]));
    // y = x·3 + exp(x) + x·x: dy/dx = 3 + exp(x) + 2x
    const { grads } = valueAndGrads(() => {
      const twice = mul(x, 3);
      return add(add(twice, exp(x)), mul(x, x));
    }, [x]);
    grads[0]!.values.forEach((g, i) => {
      const v = x.values[i]!;
      expect(g).toBeCloseTo(3 + Math.exp(v) + 2 * v, 12);
    });

    // An intermediate used by two later ops (a diamond).
    const y = variable(f64([0.3]));
    const { grads: g2 } = valueAndGrads(() => {
      const h = tanh(y);
      return mul(add(h, 1), sub(h, 2)); // (h+1)(h−2), d/dh = 2h − 1
    }, [y]);
    const h = Math.tanh(0.3);
    expect(g2[0]!.values[0]).toBeCloseTo((2 * h - 1) * (1 - h * h), 12);
  });

  it('gives the same gradient for a variable listed twice', () => {
    const x = variable(f64([2]));
    const { grads } = valueAndGrads(() => square(x), [x, x]);
    expect(grads[0]!.values[0]).toBe(4);
    expect(grads[1]!.values[0]).toBe(4);
  });

  it('differentiates the sum of a non-scalar value', () => {
    const x = variable(f64([1, 2, 3]));
    const { value, grads } = valueAndGrads(() => mul(x, f64([4, 5, 6])), [x]);
    expect(Array.from(value.values)).toEqual([4, 10, 18]);
    expect(Array.from(grads[0]!.values)).toEqual([4, 5, 6]);
  });

  it('noGrad stops recording', () => {
    const x = variable(f64([1, 2]));
    const { grads } = valueAndGrads(() => {
      expect(isRecording()).toBe(true);
      expect(isTracked(x)).toBe(true);
      const frozen = noGrad(() => {
        expect(isRecording()).toBe(false);
        expect(isTracked(x)).toBe(false);
        const y = mul(x, 10);
        expect(y.node).toBeNull();
        return y;
      });
      expect(isRecording()).toBe(true);
      return add(frozen, mul(x, 2)); // only the recorded path counts: d/dx = 2
    }, [x]);
    expect(Array.from(grads[0]!.values)).toEqual([2, 2]);
  });

  it('records nothing outside valueAndGrads', () => {
    const x = variable(f64([1]));
    expect(isRecording()).toBe(false);
    expect(isTracked(x)).toBe(false);
    expect(mul(x, 2).node).toBeNull();
  });

  it('does not leave tapes behind, also when fn throws', () => {
    const x = variable(f64([1]));
    expect(() =>
      valueAndGrads(() => {
        mul(x, 2);
        throw new Error('boom');
      }, [x]),
    ).toThrow('boom');
    expect(isRecording()).toBe(false);
    expect(() =>
      noGrad(() => {
        throw new Error('bang');
      }),
    ).toThrow('bang');
    // Recording works normally afterwards.
    expect(Array.from(valueAndGrads(() => mul(x, 3), [x]).grads[0]!.values)).toEqual([3]);
  });

  it('rejects an fn that does not return a tensor', () => {
    const x = variable(f64([1]));
    expect(() => valueAndGrads((() => 3) as unknown as () => Tensor, [x])).toThrow(/valueAndGrads: invalid fn/);
  });

  it('releases the graph once the outermost valueAndGrads returns', () => {
    const x = variable(f64([1, 2]));
    let hidden: Tensor | null = null;
    const { value } = valueAndGrads(() => {
      hidden = tanh(mul(x, 2));
      expect(hidden.node).not.toBeNull();
      return sum(hidden);
    }, [x]);
    expect(value.node).toBeNull();
    expect(hidden!.node).toBeNull();
    // A kept result is a plain constant for a later tape.
    const { grads } = valueAndGrads(() => mul(value, x), [x]);
    expect(Array.from(grads[0]!.values)).toEqual([value.values[0], value.values[0]]);
  });

  describe('nested valueAndGrads', () => {
    it('an inner tape does not leak into the outer one', () => {
      const x = variable(f64([1.5]));
      const y = variable(f64([-0.5]));
      const { value, grads } = valueAndGrads(() => {
        const before = mul(x, x);
        const inner = valueAndGrads(() => mul(y, before), [y, x]);
        // The inner tape sees only what ran inside it: `before` is a constant there.
        expect(inner.grads[0]!.values[0]).toBeCloseTo(2.25, 14);
        expect(inner.grads[1]!.values[0]).toBe(0);
        expect(isRecording()).toBe(true);
        expect(isTracked(before)).toBe(true);
        return add(before, exp(x));
      }, [x]);
      expect(isRecording()).toBe(false);
      expect(value.values[0]).toBeCloseTo(2.25 + Math.exp(1.5), 14);
      // d/dx (x² + eˣ) = 2x + eˣ: nothing from the inner tape's ops.
      expect(grads[0]!.values[0]).toBeCloseTo(3 + Math.exp(1.5), 12);
    });

    it('the outer tape sees the ops run inside an inner tape', () => {
      const x = variable(f64([2]));
      const y = variable(f64([3]));
      const { grads } = valueAndGrads(() => {
        const inner = valueAndGrads(() => mul(mul(x, y), y), [y]);
        expect(inner.grads[0]!.values[0]).toBe(12); // d/dy x·y² = 2xy
        expect(inner.value.node).not.toBeNull(); // kept for the outer tape
        return inner.value;
      }, [x, y]);
      // The outer tape differentiates x·y² too (the inner backward pass itself is not recorded).
      expect(grads[0]!.values[0]).toBe(9);
      expect(grads[1]!.values[0]).toBe(12);
    });

    it('a tape started inside noGrad records, and the paused outer tape does not see it', () => {
      const x = variable(f64([2]));
      const { grads } = valueAndGrads(() => {
        const step = noGrad(() => valueAndGrads(() => square(x), [x]));
        expect(step.grads[0]!.values[0]).toBe(4);
        expect(step.value.node).toBeNull();
        return add(mul(x, 5), step.value);
      }, [x]);
      expect(grads[0]!.values[0]).toBe(5);
    });
  });
});
