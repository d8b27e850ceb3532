/** Keras's serialized optimizer JSON: read, written, and round-tripped exactly (fixtures from Keras 3.15.1). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnknownNameError } from '../../src/errors.js';
import { optimizerFromKeras, optimizerToKeras } from '../../src/optimizers/optimizer-config.js';
import { Adagrad, Adam, AdamW, getOptimizer, RMSprop, SGD } from '../../src/optimizers/index.js';

const base = {
  weight_decay: null,
  clipnorm: null,
  global_clipnorm: null,
  clipvalue: null,
  use_ema: false,
  ema_momentum: 0.99,
  ema_overwrite_frequency: null,
  loss_scale_factor: null,
  gradient_accumulation_steps: null,
};

/** The example of the brief: exactly what Keras 3 emits for `Adam()`. */
const ADAM_JSON = {
  module: 'keras.optimizers',
  class_name: 'Adam',
  config: {
    name: 'adam',
    learning_rate: 0.0010000000474974513,
    ...base,
    beta_1: 0.9,
    beta_2: 0.999,
    epsilon: 1e-7,
    amsgrad: false,
  },
  registered_name: null,
};

function trainFixtureOptimizers(): [string, Record<string, unknown>][] {
  const dir = fileURLToPath(new URL('../fixtures/keras-golden/', import.meta.url));
  return ['train-adam-ra1', 'train-constraints', 'train-regularized', 'train-rmsprop', 'train-sgd-momentum-ra0'].map(
    (name) => [
      name,
      (JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as { optimizer: Record<string, unknown> }).optimizer,
    ],
  );
}

describe('optimizer JSON', () => {
  it('round-trips the Keras 3 Adam example exactly, key order included', () => {
    const out = optimizerToKeras(optimizerFromKeras(ADAM_JSON));
    expect(out).toEqual(ADAM_JSON);
    expect(JSON.stringify(out)).toBe(JSON.stringify(ADAM_JSON));
  });

  it.each(trainFixtureOptimizers())('round-trips the optimizer of %s', (_name, json) => {
    const out = optimizerToKeras(optimizerFromKeras(json));
    expect(out).toEqual(json);
    expect(Object.keys(out.config)).toEqual(Object.keys(json['config'] as object));
  });

  it('writes what Keras writes for default optimizers of every class', () => {
    expect(optimizerToKeras(new SGD({ name: 'sgd' })).config).toEqual({
      name: 'sgd',
      learning_rate: 0.009999999776482582,
      ...base,
      momentum: 0,
      nesterov: false,
    });
    expect(optimizerToKeras(new RMSprop({ name: 'rmsprop' })).config).toEqual({
      name: 'rmsprop',
      learning_rate: 0.0010000000474974513,
      ...base,
      rho: 0.9,
      momentum: 0,
      epsilon: 1e-7,
      centered: false,
    });
    expect(optimizerToKeras(new Adagrad({ name: 'adagrad' })).config).toEqual({
      name: 'adagrad',
      learning_rate: 0.0010000000474974513,
      ...base,
      initial_accumulator_value: 0.1,
      epsilon: 1e-7,
    });
    const adamw = optimizerToKeras(new AdamW({ name: 'adamw' }));
    expect(adamw.class_name).toBe('AdamW');
    expect(adamw.config).toEqual({ ...ADAM_JSON.config, name: 'adamw', weight_decay: 0.004 });
  });

  it('reads every option into the optimizer', () => {
    const opt = optimizerFromKeras({
      class_name: 'RMSprop',
      config: {
        name: 'r',
        learning_rate: 0.5,
        rho: 0.8,
        momentum: 0.25,
        epsilon: 1e-3,
        centered: true,
        clipnorm: 2,
        gradient_accumulation_steps: 3,
      },
    }) as RMSprop;
    expect(opt).toBeInstanceOf(RMSprop);
    expect(opt.getConfig()).toMatchObject({
      name: 'r',
      learningRate: 0.5,
      rho: 0.8,
      momentum: 0.25,
      epsilon: 1e-3,
      centered: true,
      clipnorm: 2,
      gradientAccumulationSteps: 3,
    });
  });

  it('takes class names case-insensitively, Keras 2 forms, and ignores the obsolete decay', () => {
    expect(optimizerFromKeras({ class_name: 'adam', config: { learning_rate: 0.01, decay: 0.0 } })).toBeInstanceOf(
      Adam,
    );
    expect(
      optimizerFromKeras({
        class_name: 'Adam',
        config: { learning_rate: 0.01, jit_compile: true, is_legacy_optimizer: false },
      }).learningRate,
    ).toBe(Math.fround(0.01));
    expect(getOptimizer(ADAM_JSON)).toBeInstanceOf(Adam);
  });

  it('rejects unknown classes, unknown keys, bad values and bad schedules', () => {
    expect(() => optimizerFromKeras({ class_name: 'Nadam', config: {} })).toThrow(UnknownNameError);
    expect(() => optimizerFromKeras({ class_name: 'Nadam', config: {} })).toThrow(/"Nadam"/);
    expect(() => optimizerFromKeras({ class_name: 'Adam', config: { bogus: 1 } })).toThrow(/bogus/);
    expect(() => optimizerFromKeras({ class_name: 'Adam', config: { learning_rate: 'fast' } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => optimizerFromKeras({ class_name: 'Adam', config: { learning_rate: -1 } })).toThrow(/learningRate/);
    expect(() =>
      optimizerFromKeras({
        class_name: 'Adam',
        config: { learning_rate: { class_name: 'ExponentialDecay', config: {} } },
      }),
    ).toThrow(/initialLearningRate/);
    expect(() =>
      optimizerFromKeras({ class_name: 'Adam', config: { learning_rate: { class_name: 'CyclicDecay', config: {} } } }),
    ).toThrow(UnknownNameError);
    expect(() => optimizerFromKeras('adam')).toThrow(InvalidArgumentError);
  });

  it('does not mutate the JSON it reads', () => {
    const json = structuredClone(ADAM_JSON);
    optimizerFromKeras(json);
    expect(json).toEqual(ADAM_JSON);
  });
});
