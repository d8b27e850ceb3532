/**
 * Activations: values against 40-digit references (reference-values.ts), gradients against float64 finite
 * differences, the scalar functions fused kernels use against the tensor ops, the registry and serialization.
 */
import { describe, expect, it } from 'vitest';
import type { ActivationName } from '../../src/activations/index.js';
import {
  activations,
  celuActivation,
  eluActivation,
  erf,
  erfc,
  geluActivation,
  getActivation,
  glu,
  hardShrinkActivation,
  hardSigmoidKeras2,
  leakyReluActivation,
  listActivations,
  logSoftmax,
  reluActivation,
  serializeActivation,
  softmax,
  softmaxActivation,
  softShrinkActivation,
  sparsemax,
  squareplusActivation,
  thresholdActivation,
  type Activation,
} from '../../src/activations/index.js';
import { valueAndGrads } from '../../src/autodiff/tape.js';
import { InvalidArgumentError, UnknownNameError } from '../../src/errors.js';
import { sum } from '../../src/ops/index.js';
import { Random } from '../../src/random/rng.js';
import { Tensor, tensor } from '../../src/tensor/tensor.js';
import { variable } from '../../src/tensor/variable.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { ACTIVATION_POINTS, ACTIVATION_TABLE, GELU_APPROX, HARD_SIGMOID_KERAS2 } from './reference-values.js';

// mpmath, 40 digits: [x, erf(x), erfc(x)].
const ERF_TABLE: [number, number, number][] = [
  [-6.5, -1.0, 2.0],
  [-4, -0.9999999845827421, 1.999999984582742],
  [-3, -0.9999779095030014, 1.9999779095030015],
  [-2.5, -0.999593047982555, 1.999593047982555],
  [-2, -0.9953222650189527, 1.9953222650189528],
  [-1.2, -0.9103139782296353, 1.9103139782296354],
  [-0.7, -0.6778011938374184, 1.6778011938374184],
  [-0.1, -0.1124629160182849, 1.1124629160182848],
  [-1e-6, -1.1283791670951364e-6, 1.000001128379167],
  [0, 0.0, 1.0],
  [1e-9, 1.1283791670955127e-9, 0.9999999988716208],
  [0.05, 0.05637197779701663, 0.9436280222029834],
  [0.3, 0.3286267594591274, 0.6713732405408726],
  [0.5, 0.5204998778130465, 0.4795001221869535],
  [0.9, 0.7969082124228322, 0.20309178757716786],
  [1, 0.8427007929497149, 0.15729920705028513],
  [1.7, 0.9837904585907745, 0.01620954140922544],
  [1.99, 0.995111413199617, 0.004888586800383003],
  [2, 0.9953222650189527, 0.004677734981047266],
  [2.01, 0.9955248493552482, 0.004475150644751763],
  [2.9, 0.9999589021219005, 4.109787809945886e-5],
  [3, 0.9999779095030014, 2.209049699858544e-5],
  [3.3, 0.9999969422902035, 3.0577097964381654e-6],
  [4.5, 0.9999999998033839, 1.9661604415428876e-10],
  [5.9, 0.9999999999999999, 7.190409783550478e-17],
  [7, 1.0, 4.183825607779414e-23],
  [10, 1.0, 2.088487583762545e-45],
  [15, 1.0, 7.212994172451207e-100],
];

const rng = new Random(77);
const points64 = (): Tensor => tensor(ACTIVATION_POINTS, undefined, 'float64');

function expectClose(actual: ArrayLike<number>, expected: readonly number[], atol: number, rtol = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = atol + rtol * Math.abs(expected[i]!);
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol)) {
      throw new Error(`element ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tol})`);
    }
  }
}

describe('erf / erfc', () => {
  it('match 40-digit references to 1e-15 absolute', () => {
    for (const [x, e, c] of ERF_TABLE) {
      expect(Math.abs(erf(x) - e)).toBeLessThan(1e-15);
      expect(Math.abs(erfc(x) - c)).toBeLessThan(1e-15);
    }
  });

  it('erfc keeps relative accuracy in the tail', () => {
    for (const [x, , c] of ERF_TABLE) {
      if (x >= 2 && c > 0) expect(Math.abs(erfc(x) - c) / c).toBeLessThan(1e-13);
    }
  });

  it('is odd, and NaN in gives NaN out', () => {
    for (const x of [0.1, 1.3, 2.6, 3.7]) expect(erf(-x)).toBe(-erf(x));
    expect(erf(NaN)).toBeNaN();
    expect(erfc(NaN)).toBeNaN();
  });
});

describe('elementwise activations: values', () => {
  for (const [name, expected] of Object.entries(ACTIVATION_TABLE)) {
    it(`${name} matches the reference in float64 and float32`, () => {
      const a = getActivation(name as ActivationName);
      expectClose(a.apply(points64()).values, expected, 1e-14, 1e-14);
      const y32 = a.apply(tensor(ACTIVATION_POINTS.map(Math.fround), undefined, 'float32'));
      expect(y32.dtype).toBe('float32');
      // float32 inputs are the rounded points: allow their rounding error times the slope, plus output rounding.
      expectClose(y32.values, expected, 2e-6, 2e-6);
    });
  }

  it('gelu approximate and Keras 2 hard_sigmoid', () => {
    expectClose(geluActivation({ approximate: true }).apply(points64()).values, GELU_APPROX, 1e-14, 1e-14);
    expectClose(hardSigmoidKeras2.apply(points64()).values, HARD_SIGMOID_KERAS2, 1e-15, 1e-15);
  });

  it('sigmoid is stable at the extremes and exact enough for float32', () => {
    const x = tensor([-1000, -100, -20, 0, 20, 100, 1000], undefined, 'float32');
    const y = activations['sigmoid']!.apply(x).values;
    expect([...y].every(Number.isFinite)).toBe(true);
    expect(y[0]).toBe(0);
    expect(y[3]).toBe(0.5);
    expect(y[6]).toBe(1);
    for (let i = 0; i < 200; i++) {
      const v = Math.fround(-30 + 60 * rng.uniform());
      const exact = 1 / (1 + Math.exp(-v));
      expect(Math.abs(activations['sigmoid']!.apply(tensor([v])).values[0]! - exact)).toBeLessThan(1e-7);
    }
  });

  it('softplus, log_sigmoid, mish, silu, gelu do not overflow', () => {
    const x = tensor([-800, -60, 60, 800], undefined, 'float64');
    for (const name of ['softplus', 'log_sigmoid', 'mish', 'silu', 'gelu', 'selu', 'elu']) {
      const y = getActivation(name as ActivationName).apply(x).values;
      expect([...y].every(Number.isFinite), name).toBe(true);
    }
    expect(getActivation('softplus').apply(x).values[3]).toBe(800);
    expect(getActivation('log_sigmoid').apply(x).values[0]).toBe(-800);
  });

  it('linear returns its input unchanged', () => {
    const x = tensor([1, -2, 3]);
    expect(getActivation('linear').apply(x)).toBe(x);
    expect(getActivation(null).name).toBe('linear');
    expect(getActivation(undefined).name).toBe('linear');
  });

  it('does not mutate the input', () => {
    const x = tensor([-1.5, 0.5, 2.5, 7]);
    const before = x.dataSync();
    for (const name of listActivations()) getActivation(name).apply(x);
    expect(x.dataSync()).toEqual(before);
  });
});

describe('elementwise activations: the scalar functions', () => {
  it('every elementwise built-in has a scalar function that agrees with apply', () => {
    const x = points64();
    for (const name of listActivations()) {
      const a = getActivation(name);
      if (a.scalar === null) continue;
      const y = a.apply(x).values;
      ACTIVATION_POINTS.forEach((v, i) => expect(a.scalar!.f(v), `${name}(${v})`).toBe(y[i]));
    }
  });

  it('df(x, f(x)) matches a central difference of f', () => {
    const all: Activation[] = [
      ...listActivations().map((n) => getActivation(n)),
      hardSigmoidKeras2,
      geluActivation({ approximate: true }),
      reluActivation({ negativeSlope: 0.1, maxValue: 4, threshold: 0.3 }),
      leakyReluActivation(0.05),
      eluActivation(0.7),
      celuActivation(2),
      squareplusActivation(1),
      thresholdActivation(0.25, -3),
    ];
    const h = 1e-6;
    for (const a of all) {
      if (a.scalar === null) continue;
      const { f, df } = a.scalar;
      for (const v of ACTIVATION_POINTS) {
        const numeric = (f(v + h) - f(v - h)) / (2 * h);
        expect(Math.abs(df(v, f(v)) - numeric), `${a.name}'(${v})`).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      }
    }
  });

  it('follows TensorFlow at the kinks', () => {
    const d = (name: string, x: number): number => {
      const s = getActivation(name as ActivationName).scalar!;
      return s.df(x, s.f(x));
    };
    expect(d('relu', 0)).toBe(0);
    expect(d('relu6', 0)).toBe(0);
    expect(d('relu6', 6)).toBe(0);
    expect(d('hard_sigmoid', -3)).toBe(0);
    expect(d('hard_sigmoid', 3)).toBe(0);
    expect(d('hard_sigmoid', 0)).toBeCloseTo(1 / 6, 15);
    expect(d('hard_tanh', 1)).toBe(1);
    expect(d('hard_silu', 3)).toBe(1);
  });
});

describe('activation gradients through the tape (float64 finite differences)', () => {
  const input = (): Tensor => randomFloat64(rng, [3, 4], { lo: -4, hi: 4, minAbs: 0.05 });
  for (const name of listActivations()) {
    it(name, () => {
      const a = getActivation(name);
      // Keep away from the kinks at ±1, ±0.5, ±3, 6 by nudging values that come too close.
      const kinks = [-3, -1, -0.5, 0.5, 1, 3, 6];
      const x = input();
      const vals = Float64Array.from(x.values).map((v) => (kinks.some((k) => Math.abs(v - k) < 0.02) ? v + 0.05 : v));
      checkGradients((v) => a.apply(v), [tensor(vals, x.shape, 'float64')], { rtol: 1e-6 });
    });
  }
  it('softmax and log_softmax along a middle axis', () => {
    const x = randomFloat64(rng, [2, 4, 3]);
    checkGradients((v) => softmax(v, 1), [x]);
    checkGradients((v) => logSoftmax(v, 1), [x]);
    checkGradients((v) => sparsemax(v, 1), [x]);
    checkGradients((v) => glu(v, 1), [x]);
  });
});

describe('softmax family', () => {
  it('softmax rows sum to 1 and are shift invariant and stable', () => {
    const x = tensor(
      [
        [1, 2, 3, 4],
        [1000, 1001, 1002, 1003],
      ],
      undefined,
      'float64',
    );
    const y = softmax(x).values;
    for (let r = 0; r < 2; r++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += y[r * 4 + j]!;
      expect(s).toBeCloseTo(1, 14);
    }
    for (let j = 0; j < 4; j++) expect(y[j]).toBeCloseTo(y[4 + j]!, 14);
    const e = [1, 2, 3, 4].map(Math.exp);
    const total = e.reduce((a, b) => a + b);
    expectClose(
      Array.from(y).slice(0, 4),
      e.map((v) => v / total),
      1e-15,
    );
  });

  it('log_softmax equals log(softmax)', () => {
    const x = randomFloat64(rng, [3, 5]);
    const a = logSoftmax(x).values;
    const b = softmax(x).values;
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(Math.log(b[i]!), 13);
  });

  it('sparsemax projects onto the simplex', () => {
    // [0.1, 1.1, 0.2]: support {1.1, 0.2}, τ = (1.3 − 1)/2 = 0.15.
    const y = sparsemax(
      tensor(
        [
          [0.1, 1.1, 0.2],
          [5, 0, 0],
        ],
        undefined,
        'float64',
      ),
    ).values;
    expectClose(Array.from(y), [0, 0.95, 0.05, 1, 0, 0], 1e-15);
    // A point of the simplex is its own projection.
    const z = sparsemax(tensor([[0.5, 0.4, 0.1]], undefined, 'float64')).values;
    expectClose(Array.from(z), [0.5, 0.4, 0.1], 1e-15);
    // [3, 1, 0.5, 0.2]: only the largest survives (1 + 2·1 = 3 ≤ 4), τ = 2.
    expectClose(Array.from(sparsemax(tensor([3, 1, 0.5, 0.2], undefined, 'float64')).values), [1, 0, 0, 0], 1e-15);
  });

  it('glu needs an even axis', () => {
    expect(() => glu(tensor([[1, 2, 3]]))).toThrow(/even size/);
    expectClose(glu(tensor([[2, 0]], undefined, 'float64')).values, [1], 1e-15);
  });

  it('registered softmax has no scalar function and uses the last axis', () => {
    const a = getActivation('softmax');
    expect(a.scalar).toBeNull();
    expect(softmaxActivation()).toBe(a);
    const x = randomFloat64(rng, [2, 3]);
    expect(Array.from(a.apply(x).values)).toEqual(Array.from(softmax(x, -1).values));
  });
});

describe('getActivation', () => {
  it('resolves every Keras 3 name, including the aliases', () => {
    const names = [
      'relu',
      'relu6',
      'leaky_relu',
      'elu',
      'selu',
      'celu',
      'softplus',
      'softsign',
      'squareplus',
      'soft_shrink',
      'sparse_plus',
      'silu',
      'swish',
      'gelu',
      'tanh',
      'tanh_shrink',
      'sigmoid',
      'sparse_sigmoid',
      'exponential',
      'hard_sigmoid',
      'hard_silu',
      'hard_swish',
      'hard_tanh',
      'hard_shrink',
      'linear',
      'mish',
      'log_softmax',
      'log_sigmoid',
      'softmax',
      'sparsemax',
      'glu',
    ];
    for (const n of names) expect(getActivation(n as ActivationName).apply).toBeTypeOf('function');
    expect(getActivation('swish')).toBe(getActivation('silu'));
    expect(getActivation('hard_swish').name).toBe('hard_silu');
  });

  it("hard_sigmoid is Keras 3's unless a Keras 2 file asks", () => {
    expect(getActivation('hard_sigmoid').scalar!.f(1.2)).toBeCloseTo(4.2 / 6, 15);
    const k2 = getActivation('hard_sigmoid', 'recurrent_activation', 'GRU', { kerasVersion: 2 });
    expect(k2).toBe(hardSigmoidKeras2);
    expect(k2.scalar!.f(1.2)).toBeCloseTo(0.74, 15);
    expect(getActivation('tanh', 'a', undefined, { kerasVersion: 2 })).toBe(getActivation('tanh'));
    expect(() => getActivation('tanh', 'a', undefined, { kerasVersion: 4 as 3 })).toThrow(InvalidArgumentError);
  });

  it('accepts serialized forms (Keras 3 function form, class_name as name)', () => {
    const fn = { module: 'keras.activations', class_name: 'function', config: 'tanh', registered_name: 'tanh' };
    expect(getActivation(fn)).toBe(getActivation('tanh'));
    expect(getActivation({ class_name: 'relu', config: {} })).toBe(getActivation('relu'));
    expect(getActivation({ class_name: 'function', config: 'hard_sigmoid' }, 'a', undefined, { kerasVersion: 2 })).toBe(
      hardSigmoidKeras2,
    );
  });

  it('passes Activation objects through and wraps tensor functions', () => {
    const a = getActivation('tanh');
    expect(getActivation(a)).toBe(a);
    const custom = getActivation(function double(x: Tensor) {
      return sum(x, -1, true);
    });
    expect(custom.name).toBe('double');
    expect(custom.scalar).toBeNull();
    expect(Array.from(custom.apply(tensor([[1, 2]])).values)).toEqual([3]);
    const bad = getActivation((() => 3) as unknown as (x: Tensor) => Tensor);
    expect(() => bad.apply(tensor([1]))).toThrow(InvalidArgumentError);
  });

  it('throws UnknownNameError naming the argument, some valid names and the value', () => {
    let error: unknown;
    try {
      // @ts-expect-error a misspelt or unusable name on purpose: the run-time check is under test
      getActivation('tahn', 'recurrent_activation', "GRU 'gru'");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownNameError);
    const message = (error as Error).message;
    expect(message).toContain('recurrent_activation');
    expect(message).toContain('"tahn"');
    expect(message).toContain('"tanh"');
    expect(message).toContain("GRU 'gru'");
    expect(() => getActivation({ class_name: 'function', config: 'nope' })).toThrow(UnknownNameError);
    // @ts-expect-error a misspelt or unusable name on purpose: the run-time check is under test
    expect(() => getActivation('Tanh')).toThrow(UnknownNameError); // Keras is case-sensitive here
  });

  it('threshold needs parameters; bad identifiers are InvalidArgumentErrors', () => {
    // @ts-expect-error a misspelt or unusable name on purpose: the run-time check is under test
    expect(() => getActivation('threshold')).toThrow(/thresholdActivation/);
    expect(() => getActivation(42 as never)).toThrow(InvalidArgumentError);
    expect(() => getActivation({ class_name: 'function', config: 3 })).toThrow(InvalidArgumentError);
  });
});

describe('parameterized activations', () => {
  it('defaults return the registry objects', () => {
    expect(reluActivation()).toBe(getActivation('relu'));
    expect(reluActivation({ maxValue: 6 })).toBe(getActivation('relu6'));
    expect(leakyReluActivation()).toBe(getActivation('leaky_relu'));
    expect(eluActivation()).toBe(getActivation('elu'));
    expect(geluActivation()).toBe(getActivation('gelu'));
    expect(hardShrinkActivation()).toBe(getActivation('hard_shrink'));
    expect(softShrinkActivation(0.5)).toBe(getActivation('soft_shrink'));
  });

  it("relu with Keras's parameters", () => {
    const r = reluActivation({ negativeSlope: 0.5, maxValue: 5, threshold: 1 });
    // Keras docstring example: relu(x, negative_slope=0.5, ...) semantics: x>1 → min(x,5); else 0.5·(x−1).
    const y = r.apply(tensor([-10, -5, 0, 1, 2, 5, 10], undefined, 'float64')).values;
    expect(Array.from(y)).toEqual([-5.5, -3, -0.5, 0, 2, 5, 5]);
    const ks = reluActivation({ negativeSlope: 0.5 }).apply(tensor([-10, -5, 0, 5, 10], undefined, 'float64')).values;
    expect(Array.from(ks)).toEqual([-5, -2.5, 0, 5, 10]);
    const kt = reluActivation({ threshold: 5 }).apply(tensor([-10, -5, 0, 5, 10], undefined, 'float64')).values;
    expect(Array.from(kt)).toEqual([0, 0, 0, 0, 10]);
    expect(() => reluActivation({ negativeSlope: -1 })).toThrow(InvalidArgumentError);
  });

  it('threshold, elu(alpha), celu(alpha)', () => {
    expect(Array.from(thresholdActivation(1, -7).apply(tensor([0, 1, 2], undefined, 'float64')).values)).toEqual([
      -7, -7, 2,
    ]);
    expect(eluActivation(2).scalar!.f(-1)).toBeCloseTo(2 * Math.expm1(-1), 15);
    expect(celuActivation(2).scalar!.f(-1)).toBeCloseTo(2 * Math.expm1(-0.5), 15);
    expect(() => celuActivation(0)).toThrow(InvalidArgumentError);
  });
});

describe('serializeActivation', () => {
  it('built-ins serialize to their Keras 3 name', () => {
    expect(serializeActivation(getActivation('tanh'))).toBe('tanh');
    expect(serializeActivation(getActivation('sigmoid'))).toBe('sigmoid');
    expect(serializeActivation(getActivation(null))).toBe('linear');
    expect(serializeActivation(getActivation('swish'))).toBe('silu');
    expect(serializeActivation(hardSigmoidKeras2)).toBe('hard_sigmoid');
  });

  it('round trips every built-in', () => {
    for (const name of listActivations()) {
      const a = getActivation(name);
      expect(getActivation(serializeActivation(a) as ActivationName)).toBe(a);
    }
  });

  it('custom activations use the registered-function form', () => {
    const custom = getActivation(function myAct(x: Tensor) {
      return x;
    });
    expect(serializeActivation(custom)).toEqual({
      module: null,
      class_name: 'function',
      config: 'myAct',
      registered_name: 'myAct',
    });
    expect(serializeActivation(leakyReluActivation(0.1))).toMatchObject({ class_name: 'function' });
  });
});

describe('activations record gradients only when watched', () => {
  it('valueAndGrads through tanh in float32', () => {
    const x = variable(tensor([0.5, -1]));
    const { grads } = valueAndGrads(() => getActivation('tanh').apply(x), [x]);
    expect(grads[0]!.values[0]).toBeCloseTo(1 - Math.tanh(0.5) ** 2, 6);
  });
});
