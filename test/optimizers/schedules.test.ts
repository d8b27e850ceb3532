/**
 * Learning-rate schedules against Keras 3's documented formulas (the docstrings of
 * keras/src/optimizers/schedules/learning_rate_schedule.py), at several steps, in float32 (relative 2^-22,
 * a few float32 roundings); their JSON as Keras writes it inside an optimizer config; and their use by the
 * optimizers.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  InvalidArgumentError,
  PiecewiseConstantDecay,
  PolynomialDecay,
  SGD,
  UnknownNameError,
  optimizerFromKeras,
  optimizerToKeras,
  scheduleFromKeras,
  scheduleToKeras,
  tensor,
  variable,
  type LearningRateSchedule,
} from '../../src/index.js';
import { pythonJsonDumps } from '../../src/io/python-json.js';
import { expectError } from '../helpers/errors.js';

/** Within 2^-22 relative, or `absolute` where float32 cancels digits as Keras's float32 tensors do too. */
function expectRate(schedule: LearningRateSchedule, step: number, expected: number, absolute = 1e-12): void {
  const got = schedule.call(step);
  expect(got).toBe(Math.fround(got));
  expect(Math.abs(got - expected)).toBeLessThanOrEqual(Math.max(Math.abs(expected) * 2 ** -22, absolute));
}

describe('learning-rate schedules', () => {
  it('ExponentialDecay: initial · rate^(step / decaySteps), floored with staircase', () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100000, decayRate: 0.96 });
    for (const step of [0, 1, 5000, 100000, 250000]) expectRate(s, step, 0.1 * 0.96 ** (step / 100000));
    const stair = new ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 100000,
      decayRate: 0.96,
      staircase: true,
    });
    expectRate(stair, 99999, 0.1);
    expectRate(stair, 100000, 0.096);
    expectRate(stair, 250000, 0.1 * 0.96 ** 2);
  });

  it('PiecewiseConstantDecay: the docstring example, 1.0 up to step 100000, 0.5 up to 110000, then 0.1', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1.0, 0.5, 0.1] });
    expect([0, 100000, 100001, 110000, 110001, 10 ** 7].map((t) => s.call(t))).toEqual([
      1,
      1,
      0.5,
      0.5,
      Math.fround(0.1),
      Math.fround(0.1),
    ]);
    // Keras casts float boundaries to the step's integer type.
    expect(new PiecewiseConstantDecay({ boundaries: [2.5], values: [1, 2] }).call(3)).toBe(2);
    expect(new PiecewiseConstantDecay({ boundaries: [2.5], values: [1, 2] }).call(2)).toBe(1);
  });

  it('PolynomialDecay: the docstring example, 0.1 to 0.01 over 10000 steps with power 0.5, and cycle', () => {
    const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.01, power: 0.5 });
    for (const step of [0, 2500, 10000]) expectRate(s, step, 0.09 * (1 - step / 10000) ** 0.5 + 0.01);
    // 1 − 0.9999 in float32 keeps 3 digits; √ of it then 0.09 · ... : an absolute error up to 3e-7.
    expectRate(s, 9999, 0.09 * 0.0001 ** 0.5 + 0.01, 3e-7);
    expectRate(s, 20000, 0.01);
    const cyc = new PolynomialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10000,
      endLearningRate: 0.01,
      power: 0.5,
      cycle: true,
    });
    expectRate(cyc, 0, 0.1);
    expectRate(cyc, 15000, 0.09 * 0.25 ** 0.5 + 0.01);
    expectRate(cyc, 20000, 0.01);
    expectRate(new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10 }), 5, 0.9999 * 0.5 + 0.0001);
  });

  it('InverseTimeDecay: the docstring example, 0.1 / (1 + 0.5 · step), and staircase', () => {
    const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1.0, decayRate: 0.5 });
    for (const step of [0, 1, 2, 7]) expectRate(s, step, 0.1 / (1 + 0.5 * step));
    const stair = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expectRate(stair, 19, 0.1 / 1.5);
    expectRate(stair, 20, 0.05);
  });

  it('CosineDecay without warmup: initial · ((1 − alpha) · ½(1 + cos(π step / decaySteps)) + alpha)', () => {
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 });
    for (const step of [0, 250, 500]) expectRate(s, step, 0.1 * 0.5 * (1 + Math.cos((Math.PI * step) / 1000)));
    // 1 + cos(≈π) in float32: an absolute error of about 2^-24, times 0.05.
    expectRate(s, 999, 0.1 * 0.5 * (1 + Math.cos((Math.PI * 999) / 1000)), 0.05 * 2 ** -23);
    expect(s.call(1000)).toBeLessThan(1e-9);
    expect(s.call(5000)).toBe(s.call(1000));
    const a = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1 });
    expectRate(a, 1000, 0.01);
    expectRate(a, 500, 0.1 * (0.9 * 0.5 + 0.1));
  });

  it('CosineDecay with warmup: linear from initial to the target, then the cosine decay from the target', () => {
    const s = new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 1000 });
    expectRate(s, 0, 0);
    expectRate(s, 500, 0.05);
    expectRate(s, 1000, 0.1);
    expectRate(s, 1500, 0.05);
    expect(s.call(2000)).toBeLessThan(1e-9);
    expect(s.call(3000)).toBe(s.call(2000));
    expectRate(
      new CosineDecay({ initialLearningRate: 0.02, decaySteps: 10, warmupTarget: 0.1, warmupSteps: 4 }),
      1,
      0.02 + 0.08 / 4,
    );
  });

  it('checks its arguments like Keras (decaySteps > 0, one more value than boundaries), and the step', () => {
    expectError(
      () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 }),
      InvalidArgumentError,
      'decaySteps',
    );
    expectError(
      () => new CosineDecay({ initialLearningRate: 0.1, decaySteps: -1 }),
      InvalidArgumentError,
      'decaySteps',
    );
    expectError(
      () => new PiecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] }),
      InvalidArgumentError,
      'values',
      '3 numbers',
    );
    expectError(
      () => new PiecewiseConstantDecay({ boundaries: [2, 1], values: [1, 2, 3] }),
      InvalidArgumentError,
      'boundaries',
    );
    expectError(
      () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, bogus: 1 } as never),
      InvalidArgumentError,
      'bogus',
    );
    expectError(
      () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }).call(-1),
      InvalidArgumentError,
      'step',
    );
  });
});

describe('schedules in optimizers', () => {
  it('SGD takes w ← w − lr(iterations) · g at each step', () => {
    const schedule = new ExponentialDecay({ initialLearningRate: 0.5, decaySteps: 1, decayRate: 0.5 });
    const opt = new SGD({ learningRate: schedule });
    const w = variable(tensor([1]));
    let expected = 1;
    for (let t = 0; t < 4; t++) {
      expect(opt.learningRate).toBe(schedule.call(t));
      opt.applyGradients([[tensor([2]), w]]);
      expected = Math.fround(expected - Math.fround(2 * schedule.call(t)));
      expect(w.read().dataSync()[0]).toBe(expected);
    }
    expect(expected).toBe(1 - 2 * (0.5 + 0.25 + 0.125 + 0.0625));
  });

  it('has no learning-rate variable (Keras keeps none for a schedule) and refuses to set the rate', () => {
    const opt = new Adam({ learningRate: new CosineDecay({ initialLearningRate: 0.01, decaySteps: 10 }) });
    opt.applyGradients([[tensor([1]), variable(tensor([0]))]]);
    const weights = opt.getWeights();
    expect(weights.map((w) => w.shape)).toEqual([[], [1], [1]]);
    opt.setWeights(weights);
    expect(opt.iterations).toBe(1);
    expectError(() => (opt.learningRate = 0.1), InvalidArgumentError, 'learningRate', 'CosineDecay');
  });

  it('serializes inside the optimizer config as Keras 3 writes it, and reads it back', () => {
    const opt = new SGD({
      learningRate: new ExponentialDecay({
        initialLearningRate: 0.1,
        decaySteps: 100000,
        decayRate: 0.96,
        staircase: true,
      }),
    });
    const json = JSON.parse(JSON.stringify(optimizerToKeras(opt)));
    expect(json.config.learning_rate).toEqual({
      module: 'keras.optimizers.schedules',
      class_name: 'ExponentialDecay',
      config: {
        initial_learning_rate: 0.1,
        decay_steps: 100000,
        decay_rate: 0.96,
        staircase: true,
        name: 'ExponentialDecay',
      },
      registered_name: null,
    });
    const back = optimizerFromKeras(json);
    expect(back.learningRateSchedule).toBeInstanceOf(ExponentialDecay);
    expect(back.learningRateSchedule!.getConfig()).toEqual(opt.learningRateSchedule!.getConfig());
    // The in-memory form round-trips too.
    expect(optimizerFromKeras(optimizerToKeras(opt)).learningRateSchedule!.getConfig()).toEqual(
      opt.learningRateSchedule!.getConfig(),
    );
  });

  it('writes Python floats as floats: an initial rate of 0 is 0.0, so that Keras keeps float32 tensors', () => {
    const cosine = new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100 });
    expect(pythonJsonDumps(scheduleToKeras(cosine))).toBe(
      '{"module": "keras.optimizers.schedules", "class_name": "CosineDecay", "config": {"initial_learning_rate": 0.0, "decay_steps": 1000, ' +
        '"alpha": 0.0, "name": "CosineDecay", "warmup_target": 0.1, "warmup_steps": 100}, "registered_name": null}',
    );
    const piecewise = new PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect(pythonJsonDumps(scheduleToKeras(piecewise).config)).toBe(
      '{"boundaries": [10, 20], "values": [1.0, 0.5, 0.1], "name": "PiecewiseConstant"}',
    );
  });

  it('reads every class from Keras JSON, Keras 2 form too, with typed errors', () => {
    const configs: [string, Record<string, unknown>][] = [
      ['PiecewiseConstantDecay', { boundaries: [5], values: [0.1, 0.01], name: 'PiecewiseConstant' }],
      [
        'PolynomialDecay',
        {
          initial_learning_rate: 0.1,
          decay_steps: 10,
          end_learning_rate: 0.0001,
          power: 1.0,
          cycle: false,
          name: 'PolynomialDecay',
        },
      ],
      [
        'InverseTimeDecay',
        { initial_learning_rate: 0.1, decay_steps: 1.0, decay_rate: 0.5, staircase: false, name: 'InverseTimeDecay' },
      ],
      [
        'CosineDecay',
        {
          initial_learning_rate: 0.1,
          decay_steps: 10,
          alpha: 0.0,
          name: 'CosineDecay',
          warmup_target: null,
          warmup_steps: 0,
        },
      ],
    ];
    for (const [className, config] of configs) {
      const s = scheduleFromKeras({ class_name: className, config });
      expect(s.className).toBe(className);
      expect(JSON.parse(JSON.stringify(scheduleToKeras(s))).config).toEqual(config);
    }
    expectError(
      () => scheduleFromKeras({ class_name: 'CosineDecayRestarts', config: {} }),
      UnknownNameError,
      'CosineDecayRestarts',
    );
    expectError(
      () =>
        scheduleFromKeras({
          class_name: 'ExponentialDecay',
          config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, foo: 1 },
        }),
      InvalidArgumentError,
      'foo',
    );
    expectError(
      () =>
        scheduleFromKeras({
          class_name: 'ExponentialDecay',
          config: { initial_learning_rate: 'x', decay_steps: 1, decay_rate: 0.5 },
        }),
      InvalidArgumentError,
      'initialLearningRate',
    );
  });
});
