/**
 * Each optimizer's update, several steps, against Keras's formulas re-derived in test/optimizers/reference.ts
 * (float64 variables: the implementation must agree to rounding; float32: it must round like a float32
 * backend). Also clipping, weight decay, accumulation, EMA, slot order, and input checking.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, UnknownNameError, DTypeError } from '../../src/errors.js';
import { Adagrad, Adam, AdamW, getOptimizer, RMSprop, SGD, type Optimizer } from '../../src/optimizers/index.js';
import { valueAndGrads } from '../../src/autodiff/tape.js';
import { mul } from '../../src/ops/arithmetic.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { variable, type Variable } from '../../src/tensor/variable.js';
import { f64, refClip, refInit, refStep, type RefConfig, type RefVar, type Round } from './reference.js';

const SHAPES = [[2, 3], [4]] as const;
const STEPS = 5;

function randomValues(rng: Random, n: number, scale = 1): number[] {
  return Array.from({ length: n }, () => scale * (2 * rng.uniform() - 1));
}

/** Seeded initial weights and per-step gradients for two variables (gradient scales vary by step). */
function problem(seed: number) {
  const rng = new Random(seed);
  const init = SHAPES.map((s) =>
    randomValues(
      rng,
      s.reduce((a, b) => a * b, 1),
    ),
  );
  const grads = Array.from({ length: STEPS }, (_, t) =>
    SHAPES.map((s) =>
      randomValues(
        rng,
        s.reduce((a, b) => a * b, 1),
        0.5 + t,
      ),
    ),
  );
  return { init, grads };
}

function run(optimizer: Optimizer, dtype: 'float32' | 'float64', seed = 7) {
  const { init, grads } = problem(seed);
  const vars = init.map((w, i) => variable(tensor(w, [...SHAPES[i]!], dtype), { name: `v${i}` }));
  for (const step of grads)
    optimizer.applyGradients(step.map((g, i) => [tensor(g, [...SHAPES[i]!], dtype), vars[i]!] as const));
  return vars;
}

function runReference(config: RefConfig, r: Round = f64, seed = 7): RefVar[] {
  const { init, grads } = problem(seed);
  const state = init.map((w) => refInit(config, w.map(r)));
  grads.forEach((step, t) => {
    const clipped = refClip(
      config,
      step.map((g) => g.map(r)),
      r,
    );
    state.forEach((v, i) => refStep(config, v, clipped[i]!, t, r));
  });
  return state;
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], relTol: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1e-30, ...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (err > relTol * scale) throw new Error(`element ${i}: ${actual[i]} vs ${expected[i]} (error ${err})`);
  }
}

const cases: [string, () => Optimizer, RefConfig][] = [
  ['SGD', () => new SGD(), { kind: 'sgd', lr: 0.01 }],
  ['SGD momentum', () => new SGD({ learningRate: 0.05, momentum: 0.9 }), { kind: 'sgd', lr: 0.05, momentum: 0.9 }],
  [
    'SGD nesterov',
    () => new SGD({ learningRate: 0.05, momentum: 0.8, nesterov: true }),
    { kind: 'sgd', lr: 0.05, momentum: 0.8, nesterov: true },
  ],
  ['Adam', () => new Adam(), { kind: 'adam', lr: 0.001 }],
  [
    'Adam custom',
    () => new Adam({ learningRate: 0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-3 }),
    { kind: 'adam', lr: 0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-3 },
  ],
  ['Adam amsgrad', () => new Adam({ learningRate: 0.01, amsgrad: true }), { kind: 'adam', lr: 0.01, amsgrad: true }],
  ['AdamW', () => new AdamW({ learningRate: 0.01 }), { kind: 'adam', lr: 0.01, weightDecay: 0.004 }],
  [
    'AdamW strong decay, amsgrad',
    () => new AdamW({ learningRate: 0.05, weightDecay: 0.3, amsgrad: true }),
    { kind: 'adam', lr: 0.05, weightDecay: 0.3, amsgrad: true },
  ],
  ['RMSprop', () => new RMSprop({ learningRate: 0.01 }), { kind: 'rmsprop', lr: 0.01 }],
  [
    'RMSprop momentum',
    () => new RMSprop({ learningRate: 0.01, momentum: 0.5 }),
    { kind: 'rmsprop', lr: 0.01, momentum: 0.5 },
  ],
  [
    'RMSprop centered',
    () => new RMSprop({ learningRate: 0.01, centered: true, rho: 0.8 }),
    { kind: 'rmsprop', lr: 0.01, centered: true, rho: 0.8 },
  ],
  [
    'RMSprop centered momentum',
    () => new RMSprop({ learningRate: 0.003, centered: true, momentum: 0.7 }),
    { kind: 'rmsprop', lr: 0.003, centered: true, momentum: 0.7 },
  ],
  ['Adagrad', () => new Adagrad({ learningRate: 0.1 }), { kind: 'adagrad', lr: 0.1 }],
  [
    'Adagrad custom',
    () => new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.5, epsilon: 1e-4 }),
    { kind: 'adagrad', lr: 0.1, initialAccumulatorValue: 0.5, epsilon: 1e-4 },
  ],
  ['SGD clipnorm', () => new SGD({ learningRate: 0.1, clipnorm: 0.5 }), { kind: 'sgd', lr: 0.1, clipnorm: 0.5 }],
  ['SGD clipvalue', () => new SGD({ learningRate: 0.1, clipvalue: 0.3 }), { kind: 'sgd', lr: 0.1, clipvalue: 0.3 }],
  [
    'Adam global clipnorm',
    () => new Adam({ learningRate: 0.1, globalClipnorm: 1.5 }),
    { kind: 'adam', lr: 0.1, globalClipnorm: 1.5 },
  ],
  [
    'RMSprop clipnorm',
    () => new RMSprop({ learningRate: 0.1, clipnorm: 0.7, momentum: 0.2 }),
    { kind: 'rmsprop', lr: 0.1, clipnorm: 0.7, momentum: 0.2 },
  ],
  [
    'SGD weight decay',
    () => new SGD({ learningRate: 0.1, weightDecay: 0.5, momentum: 0.3 }),
    { kind: 'sgd', lr: 0.1, weightDecay: 0.5, momentum: 0.3 },
  ],
];

describe.each(cases)('%s', (_label, make, config) => {
  it('follows the Keras formulas over several steps (float64)', () => {
    const vars = run(make(), 'float64');
    const ref = runReference(config);
    vars.forEach((v, i) => expectClose(v.values, ref[i]!.w, 1e-14));
  });

  it('keeps slot variables equal to the reference state', () => {
    const opt = make();
    const vars = run(opt, 'float64');
    const ref = runReference(config);
    vars.forEach((v, i) => {
      for (const [name, values] of Object.entries(ref[i]!.slots)) {
        const slot = opt.getSlot(v, name);
        expect(slot, name).not.toBeNull();
        expectClose(slot!.values, values, 1e-14);
      }
    });
    expect(opt.iterations).toBe(STEPS);
  });

  it('rounds every operation to float32 for float32 variables', () => {
    const vars = run(make(), 'float32');
    const ref = runReference(config, Math.fround);
    // Equal but for reductions (norms), which TensorFlow and we sum in different orders.
    vars.forEach((v, i) => expectClose(v.values, ref[i]!.w, config.clipnorm || config.globalClipnorm ? 1e-6 : 1e-7));
  });
});

describe('Keras-documented values', () => {
  it('RMSprop example: var 10, loss var²/2, lr 0.1 → 9.683772', () => {
    const opt = new RMSprop({ learningRate: 0.1 });
    const v = variable(tensor([10]));
    opt.applyGradients([[v.read(), v]]);
    expect(v.values[0]).toBeCloseTo(9.683772, 6);
  });

  it('stores the learning rate as float32', () => {
    expect(new Adam().learningRate).toBe(0.0010000000474974513);
    const sgd = new SGD();
    sgd.learningRate = 0.05;
    expect(sgd.learningRate).toBe(0.05000000074505806);
  });
});

describe('optimizer mechanics', () => {
  it('skips null gradients, updates the rest, counts the call', () => {
    const opt = new SGD({ learningRate: 0.5 });
    const a = variable(tensor([1, 2]));
    const b = variable(tensor([3]));
    opt.applyGradients([
      [tensor([1, 1]), a],
      [null, b],
    ]);
    expect(Array.from(a.values)).toEqual([0.5, 1.5]);
    expect(Array.from(b.values)).toEqual([3]);
    expect(opt.iterations).toBe(1);
    expect(() => opt.applyGradients([[null, b]])).toThrow(InvalidArgumentError);
  });

  it('an empty list is a no-op', () => {
    const opt = new Adam();
    opt.applyGradients([]);
    expect(opt.iterations).toBe(0);
  });

  it('does not mutate the gradient tensors or share storage with them', () => {
    const opt = new SGD({ learningRate: 0.5, clipvalue: 0.1 });
    const v = variable(tensor([1, 2]));
    const g = tensor([3, -4]);
    opt.applyGradients([[g, v]]);
    expect(Array.from(g.values)).toEqual([3, -4]);
  });

  it('lists slots in Keras order (Adam interleaves momentum and velocity)', () => {
    const opt = new Adam({ amsgrad: true });
    const a = variable(tensor([1, 2]), { name: 'dense/kernel' });
    const b = variable(tensor([3]), { name: 'dense/bias' });
    opt.applyGradients([
      [tensor([1, 1]), a],
      [tensor([1]), b],
    ]);
    expect(opt.slotVariables.map((v) => v.name)).toEqual([
      'dense_kernel_momentum',
      'dense_kernel_velocity',
      'dense_bias_momentum',
      'dense_bias_velocity',
      'dense_kernel_velocity_hat',
      'dense_bias_velocity_hat',
    ]);
    const weights = opt.getWeights();
    expect(weights.length).toBe(8);
    expect(weights[0]!.values[0]).toBe(1);
    expect(weights[1]!.values[0]).toBe(Math.fround(0.001));
  });

  it('setWeights restores state so the next step is identical', () => {
    const make = () => new Adam({ learningRate: 0.1 });
    const a = variable(tensor([1, 2]));
    const opt = make();
    opt.applyGradients([[tensor([0.3, -0.2]), a]]);
    const saved = opt.getWeights();
    const copy = variable(a.read());
    const other = make();
    other.build([copy]);
    other.setWeights(saved);
    expect(other.iterations).toBe(1);
    opt.applyGradients([[tensor([0.1, 0.5]), a]]);
    other.applyGradients([[tensor([0.1, 0.5]), copy]]);
    expect(Array.from(copy.values)).toEqual(Array.from(a.values));
    expect(() => other.setWeights(saved.slice(1))).toThrow(InvalidArgumentError);
  });

  it('accumulates gradients and updates every n-th call with their mean', () => {
    const opt = new SGD({ learningRate: 0.5, gradientAccumulationSteps: 3 });
    const v = variable(tensor([1], [1], 'float64'));
    const g = (x: number): Tensor => tensor([x], [1], 'float64');
    opt.applyGradients([[g(1), v]]);
    opt.applyGradients([[g(2), v]]);
    expect(v.values[0]).toBe(1);
    opt.applyGradients([[g(6), v]]);
    expect(v.values[0]).toBe(1 - Math.fround(0.5) * 3);
    expect(opt.getSlot(v, 'gradient_accumulator')!.values[0]).toBe(0);
    expect(opt.iterations).toBe(3);
  });

  it('Adam with accumulation counts update steps for its bias correction', () => {
    const accumulating = new Adam({ learningRate: 0.1, gradientAccumulationSteps: 2 });
    const plain = new Adam({ learningRate: 0.1 });
    const a = variable(tensor([1, -1], [2], 'float64'));
    const b = variable(tensor([1, -1], [2], 'float64'));
    for (let k = 0; k < 3; k++) {
      const g = tensor([0.5 + k, -0.25 * k], [2], 'float64');
      accumulating.applyGradients([[g, a]]);
      accumulating.applyGradients([[g, a]]);
      plain.applyGradients([[g, b]]);
    }
    expectClose(a.values, Array.from(b.values), 1e-15);
  });

  it('keeps an exponential moving average and overwrites with it when asked', () => {
    const opt = new SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5 });
    const v = variable(tensor([0], [1], 'float64'));
    const g = tensor([-1], [1], 'float64');
    opt.applyGradients([[g, v]]); // w = 1; first step: average = w
    expect(opt.getSlot(v, 'average')!.values[0]).toBe(1);
    opt.applyGradients([[g, v]]); // w = 2; average = 0.5·1 + 0.5·2
    expect(opt.getSlot(v, 'average')!.values[0]).toBe(1.5);
    opt.finalizeVariableValues();
    expect(v.values[0]).toBe(1.5);

    const periodic = new SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 2 });
    const w = variable(tensor([0], [1], 'float64'));
    periodic.applyGradients([[g, w]]);
    expect(w.values[0]).toBe(1);
    periodic.applyGradients([[g, w]]);
    expect(w.values[0]).toBe(1.5);
  });

  it('divides gradients by the loss scale factor', () => {
    const opt = new SGD({ learningRate: 1, lossScaleFactor: 4 });
    const v = variable(tensor([0], [1], 'float64'));
    opt.applyGradients([[tensor([2], [1], 'float64'), v]]);
    expect(v.values[0]).toBe(-0.5);
    expect(opt.scaleLoss(tensor(3)).values[0]).toBe(12);
    const x = variable(tensor(3));
    expect(valueAndGrads(() => opt.scaleLoss(mul(x, x)), [x]).grads[0]!.values[0]).toBe(24);
  });

  it('excludes variables from weight decay by identity or name', () => {
    const opt = new SGD({ learningRate: 0.5, weightDecay: 0.5 });
    const kernel = variable(tensor([2], [1], 'float64'), { name: 'gru/kernel' });
    const bias = variable(tensor([2], [1], 'float64'), { name: 'gru/bias' });
    opt.excludeFromWeightDecay({ names: ['bias'] });
    const zero = tensor([0], [1], 'float64');
    opt.applyGradients([
      [zero, kernel],
      [zero, bias],
    ]);
    expect(kernel.values[0]).toBe(1.5);
    expect(bias.values[0]).toBe(2);
  });

  it('adds slots for variables first seen after the first step', () => {
    const opt = new Adam();
    const a = variable(tensor([1]));
    const b = variable(tensor([2]));
    opt.applyGradients([[tensor([1]), a]]);
    opt.applyGradients([
      [tensor([1]), a],
      [tensor([1]), b],
    ]);
    expect(opt.trackedVariables).toEqual([a, b]);
    expect(opt.getSlot(b, 'momentum')).not.toBeNull();
  });
});

describe('configs', () => {
  it('reports Keras defaults in camelCase and rebuilds from them', () => {
    expect(new Adam({ name: 'adam' }).getConfig()).toEqual({
      name: 'adam',
      learningRate: 0.0010000000474974513,
      weightDecay: null,
      clipnorm: null,
      globalClipnorm: null,
      clipvalue: null,
      useEma: false,
      emaMomentum: 0.99,
      emaOverwriteFrequency: null,
      lossScaleFactor: null,
      gradientAccumulationSteps: null,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
    });
    const classes = [SGD, Adam, AdamW, RMSprop, Adagrad] as const;
    for (const C of classes) {
      const config = new C().getConfig();
      expect(new C(config as never).getConfig()).toEqual(config);
    }
    expect(new AdamW().weightDecay).toBe(0.004);
    expect(new RMSprop().getConfig()).toMatchObject({ rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(new Adagrad().getConfig()).toMatchObject({ initialAccumulatorValue: 0.1, epsilon: 1e-7 });
    expect(new SGD().getConfig()).toMatchObject({ learningRate: Math.fround(0.01), momentum: 0, nesterov: false });
  });

  it('names optimizers like Keras auto_name', () => {
    expect(new RMSprop().name).toMatch(/^rm_sprop(_\d+)?$/);
    expect(new AdamW().name).toMatch(/^adam_w(_\d+)?$/);
    const first = new Adagrad().name;
    const second = new Adagrad().name;
    expect(second).not.toBe(first);
  });

  it('getOptimizer resolves names case-insensitively and returns instances as they are', () => {
    expect(getOptimizer('adam')).toBeInstanceOf(Adam);
    expect(getOptimizer('SGD')).toBeInstanceOf(SGD);
    expect(getOptimizer('RMSprop')).toBeInstanceOf(RMSprop);
    expect(getOptimizer('adamw')).toBeInstanceOf(AdamW);
    expect(getOptimizer('adagrad')).toBeInstanceOf(Adagrad);
    const opt = new SGD();
    expect(getOptimizer(opt)).toBe(opt);
  });
});

describe('bad input', () => {
  it('unknown names name the argument, the choices and the value', () => {
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getOptimizer('adamm')).toThrow(UnknownNameError);
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getOptimizer('adamm')).toThrow(/optimizer.*"adam".*"adamm"/);
    expect(() => getOptimizer({ foo: 1 })).toThrow(UnknownNameError);
  });

  it('rejects out-of-range hyperparameters', () => {
    expect(() => new SGD({ learningRate: -0.1 })).toThrow(InvalidArgumentError);
    expect(() => new SGD({ learningRate: -0.1 })).toThrow(/learningRate/);
    expect(() => new Adam({ epsilon: -1 })).toThrow(/epsilon/);
    expect(() => new Adam({ beta1: 1 })).toThrow(/beta1/);
    expect(() => new RMSprop({ rho: 1.5 })).toThrow(/rho/);
    expect(() => new SGD({ momentum: 2 })).toThrow(/momentum/);
    expect(() => new Adagrad({ initialAccumulatorValue: -1 })).toThrow(/initialAccumulatorValue/);
    expect(() => new SGD({ learningRate: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/at most one/);
    expect(() => new SGD({ gradientAccumulationSteps: 1 })).toThrow(/gradientAccumulationSteps/);
    expect(() => new AdamW({ weightDecay: null as never })).toThrow(/weightDecay/);
    expect(() => new Adam({ learningrate: 0.1 } as never)).toThrow(/unknown option learningrate/);
    const opt = new SGD();
    expect(() => (opt.learningRate = -1)).toThrow(InvalidArgumentError);
  });

  it('rejects gradients of the wrong shape and non-float variables', () => {
    const opt = new SGD();
    const v: Variable = variable(tensor([1, 2]));
    expect(() => opt.applyGradients([[tensor([1, 2, 3]), v]])).toThrow(ShapeError);
    expect(() => opt.applyGradients([[tensor([1]), variable(tensor([1], [1], 'int32'))]])).toThrow(DTypeError);
    expect(() => opt.applyGradients([[tensor([1, 2]), tensor([1, 2]) as never]])).toThrow(/Variable/);
  });
});
