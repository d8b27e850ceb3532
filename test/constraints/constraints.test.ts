/**
 * Constraints: Keras's formulas (with its epsilon 1e-7) against a plain float64 reference, the weights real
 * Keras left after constrained training (train-constraints fixture) as fixed points, configs and the registry.
 */
import { describe, expect, it } from 'vitest';
import {
  Constraint,
  MaxNorm,
  MinMaxNorm,
  NonNeg,
  UnitNorm,
  getConstraint,
  listConstraints,
  serializeConstraint,
} from '../../src/constraints/index.js';
import { InvalidArgumentError, UnknownNameError } from '../../src/errors.js';
import { mul } from '../../src/ops/index.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { randomFloat64 } from '../helpers/finite-difference.js';
import { loadFixture, type FixtureTensor } from '../helpers/fixtures.js';

const EPS = 1e-7;
const rng = new Random(5);

/** Column norms (axis 0) of a row-major [r, c] matrix, in float64. */
function columnNorms(v: ArrayLike<number>, r: number, c: number): number[] {
  const out = new Array<number>(c).fill(0);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j]! += v[i * c + j]! ** 2;
  return out.map(Math.sqrt);
}

/** w · desired(norm) / (ε + norm), columnwise: the reference for the norm constraints. */
function rescaleColumns(v: ArrayLike<number>, r: number, c: number, desired: (n: number) => number): number[] {
  const norms = columnNorms(v, r, c);
  return Array.from(v, (x, k) => (x * desired(norms[k % c]!)) / (EPS + norms[k % c]!));
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)))) {
      throw new Error(`element ${i}: ${actual[i]} vs ${expected[i]}`);
    }
  }
}

describe('formulas', () => {
  const w64 = randomFloat64(rng, [4, 6], { lo: -1.5, hi: 1.5 });
  const w32 = tensor(Float32Array.from(w64.values), [4, 6], 'float32');

  it('MaxNorm: w · clip(‖w‖, 0, max) / (ε + ‖w‖) along axis 0', () => {
    const expected = rescaleColumns(w64.values, 4, 6, (n) => Math.min(n, 1.1));
    expectClose(new MaxNorm({ maxValue: 1.1 }).call(w64).values, expected, 1e-15);
    expectClose(
      new MaxNorm({ maxValue: 1.1 }).call(w32).values,
      rescaleColumns(w32.values, 4, 6, (n) => Math.min(n, 1.1)),
      1e-6,
    );
    expect(new MaxNorm().call(w32).dtype).toBe('float32');
  });

  it('MinMaxNorm: rate · clip(‖w‖, min, max) + (1 − rate) · ‖w‖', () => {
    const c = new MinMaxNorm({ minValue: 0.8, maxValue: 1.2, rate: 0.3 });
    const expected = rescaleColumns(w64.values, 4, 6, (n) => 0.3 * Math.min(Math.max(n, 0.8), 1.2) + 0.7 * n);
    expectClose(c.call(w64).values, expected, 1e-15);
  });

  it('UnitNorm: w / (ε + ‖w‖), which is slightly under 1 because of ε', () => {
    const out = new UnitNorm().call(w64);
    expectClose(
      out.values,
      rescaleColumns(w64.values, 4, 6, () => 1),
      1e-15,
    );
    const norms = columnNorms(out.values, 4, 6);
    for (const n of norms) {
      expect(n).toBeLessThan(1);
      expect(n).toBeGreaterThan(1 - 1e-6);
    }
    // A zero column stays zero instead of becoming NaN.
    expect(
      Array.from(
        new UnitNorm().call(
          tensor(
            [
              [0, 1],
              [0, 1],
            ],
            undefined,
            'float64',
          ),
        ).values,
      )[0],
    ).toBe(0);
  });

  it('NonNeg: max(w, 0)', () => {
    expect(Array.from(new NonNeg().call(tensor([-1, 0, 2.5])).values)).toEqual([0, 0, 2.5]);
  });

  it('other axes and lists of axes', () => {
    const t = randomFloat64(rng, [2, 3, 4]);
    const all = new UnitNorm({ axis: [0, 1, 2] }).call(t).values;
    let s = 0;
    for (const v of all) s += v * v;
    expect(Math.sqrt(s)).toBeCloseTo(1, 6);
    const last = new UnitNorm({ axis: -1 }).call(t).values;
    for (let row = 0; row < 6; row++) {
      let r = 0;
      for (let j = 0; j < 4; j++) r += last[row * 4 + j]! ** 2;
      expect(Math.sqrt(r)).toBeCloseTo(1, 6);
    }
    expect(() => new MaxNorm({ axis: 3 }).call(t)).toThrow(InvalidArgumentError);
  });

  it('do not mutate the weight', () => {
    const before = w32.dataSync();
    for (const c of [new MaxNorm({ maxValue: 0.1 }), new MinMaxNorm(), new NonNeg(), new UnitNorm()]) c.call(w32);
    expect(w32.dataSync()).toEqual(before);
  });
});

describe('against Keras (train-constraints: weights after constrained SGD steps)', () => {
  const f = loadFixture<{ gru_config: Record<string, unknown>; final_weights: FixtureTensor[] }>('train-constraints');
  const asTensor = (t: FixtureTensor): Tensor => tensor(t.data, t.shape, 'float32');
  const [kernel, recurrent, bias] = f.final_weights.map(asTensor) as [Tensor, Tensor, Tensor];
  const get = (key: string): Constraint => getConstraint(f.gru_config[key] as { class_name: string })!;

  it('the Keras configs load as the expected constraints', () => {
    expect(get('kernel_constraint')).toBeInstanceOf(MaxNorm);
    expect(get('recurrent_constraint')).toBeInstanceOf(NonNeg);
    expect(get('bias_constraint')).toBeInstanceOf(UnitNorm);
  });

  it("Keras's constrained weights are (nearly) fixed points of our constraints", () => {
    const maxNorm = get('kernel_constraint');
    for (const n of columnNorms(kernel.values, 3, 15)) expect(n).toBeLessThanOrEqual(0.8 + 1e-6);
    expectClose(maxNorm.call(kernel).values, Array.from(kernel.values), 1e-6);
    expect(Array.from(recurrent.values).every((v) => v >= 0)).toBe(true);
    expect(Array.from(get('recurrent_constraint').call(recurrent).values)).toEqual(Array.from(recurrent.values));
    // UnitNorm shrinks by 1/(1 + ε) per application: a fixed point to ~1e-7.
    expectClose(get('bias_constraint').call(bias).values, Array.from(bias.values), 1e-6);
  });

  it('serialize back exactly as Keras wrote them', () => {
    for (const key of ['kernel_constraint', 'recurrent_constraint', 'bias_constraint']) {
      const json = f.gru_config[key];
      expect(JSON.stringify(serializeConstraint(get(key)))).toBe(JSON.stringify(json));
    }
  });
});

describe('configs', () => {
  it('exact Keras 3 keys in order, and round trips', () => {
    expect(new MaxNorm().getConfig()).toEqual({ max_value: 2, axis: 0 });
    expect(Object.keys(new MinMaxNorm().getConfig())).toEqual(['min_value', 'max_value', 'rate', 'axis']);
    expect(new MinMaxNorm().getConfig()).toEqual({ min_value: 0, max_value: 1, rate: 1, axis: 0 });
    expect(new UnitNorm().getConfig()).toEqual({ axis: 0 });
    expect(new NonNeg().getConfig()).toEqual({});
    const all = [
      new MaxNorm({ maxValue: 3, axis: [0, 1] }),
      new MinMaxNorm({ minValue: 0.1, maxValue: 2, rate: 0.5, axis: 1 }),
      new NonNeg(),
      new UnitNorm({ axis: -1 }),
    ];
    for (const c of all) {
      const json = JSON.parse(JSON.stringify(serializeConstraint(c))) as { module: string; class_name: string };
      expect(json.module).toBe('keras.constraints');
      const back = getConstraint(json)!;
      expect(back.className).toBe(c.className);
      expect(back.getConfig()).toEqual(c.getConfig());
    }
    expect(serializeConstraint(null)).toBeNull();
  });
});

describe('getConstraint', () => {
  it('names (Keras 3 and Keras 2 spellings), instances, functions, null', () => {
    expect(getConstraint(null)).toBeNull();
    expect(getConstraint(undefined)).toBeNull();
    expect(getConstraint('max_norm')).toBeInstanceOf(MaxNorm);
    expect(getConstraint('MaxNorm')).toBeInstanceOf(MaxNorm);
    expect(getConstraint('maxnorm')).toBeInstanceOf(MaxNorm);
    expect(getConstraint('non_neg')).toBeInstanceOf(NonNeg);
    expect(getConstraint('nonneg')).toBeInstanceOf(NonNeg);
    expect(getConstraint('unit_norm')).toBeInstanceOf(UnitNorm);
    expect(getConstraint('min_max_norm')).toBeInstanceOf(MinMaxNorm);
    for (const n of listConstraints()) expect(getConstraint(n)).toBeInstanceOf(Constraint);
    const c = new NonNeg();
    expect(getConstraint(c)).toBe(c);
    const halve = getConstraint(function halve(w: Tensor) {
      return mul(w, 0.5);
    })!;
    expect(Array.from(halve.call(tensor([2, 4])).values)).toEqual([1, 2]);
    expect(serializeConstraint(halve)).toEqual({
      module: null,
      class_name: 'halve',
      config: {},
      registered_name: 'halve',
    });
    expect(() => getConstraint(() => tensor([1]))!.call(tensor([1, 2]))).toThrow(InvalidArgumentError);
  });

  it('errors', () => {
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getConstraint('max_normal', 'kernel_constraint')).toThrow(UnknownNameError);
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getConstraint('max_normal', 'kernel_constraint')).toThrow(/kernel_constraint.*"max_normal"/);
    expect(() => getConstraint({ class_name: 'MaxNorm', config: { max_value: 'x' } })).toThrow(InvalidArgumentError);
    expect(() => getConstraint({ class_name: 'MaxNorm', config: { axis: 0.5 } })).toThrow(InvalidArgumentError);
    expect(() => getConstraint({ class_name: 'UnitNorm', config: { axes: 0 } })).toThrow(/axes/);
    expect(() => new MinMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(InvalidArgumentError);
    expect(() => new NonNeg().call(tensor([1, 2], undefined, 'int32'))).toThrow(InvalidArgumentError);
    expect(() => getConstraint(3 as never)).toThrow(InvalidArgumentError);
  });
});
