/**
 * Fuzz: `compile` arguments (optimizers, losses, metrics by name, instance, Keras JSON or junk) and `fit`,
 * `evaluate`, `predict` arguments (data of the wrong shape, dtype or sample count, NaN, junk options). Finite data
 * with the valid optimizer and loss must train to finite losses and leave the model usable.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, it } from 'vitest';
import { Dense, GRU, input, Sequential, SGD, tensor, type Model } from '../../src/index.js';
import { allFinite, FUZZ_SEED, newTally, PROPERTY_MS, reportTally, runAsyncCase, runCase } from './harness.js';
import { tensorInput } from './tensors.js';
import { anyValue, mutatedOptions, nastyConstants } from './values.js';

const RUNS = Number(process.env.FUZZ_RUNS_SCALE ?? 1);

// Progress bars (verbose 1 or 2 from generated options) would flood the log.
const write = process.stdout.write.bind(process.stdout);
beforeAll(() => {
  process.stdout.write = ((chunk: string | Uint8Array) =>
    String(chunk).startsWith('[fuzz]') ? write(chunk) : true) as typeof process.stdout.write;
});
afterAll(() => {
  process.stdout.write = write;
});

function makeModel(): Model {
  return new Sequential([input({ shape: [3, 2] }), new GRU({ units: 2 }), new Dense({ units: 1 })]);
}

const X = (): ReturnType<typeof tensor> =>
  tensor(
    Array.from({ length: 24 }, (_, k) => Math.cos(k)),
    [4, 3, 2],
  );
const Y = (): ReturnType<typeof tensor> => tensor([0.1, -0.2, 0.3, 0.4], [4, 1]);

const identifiers = fc.oneof(
  fc.constantFrom(
    'sgd',
    'adam',
    'rmsprop',
    'adagrad',
    'adamw',
    'mse',
    'mae',
    'binary_crossentropy',
    'accuracy',
    'nope',
    'Adam',
    'mean_squared_error',
  ),
  fc.constantFrom(
    { class_name: 'SGD', config: { learning_rate: -1 } },
    { class_name: 'Adam', config: { learning_rate: NaN } },
    { class_name: 'Adam', config: { beta_1: 2 } },
    { class_name: 'MeanSquaredError', config: { reduction: 'nope' } },
    { class_name: 'SGD', config: { momentum: Infinity } },
    { module: 'keras.optimizers', class_name: 'RMSprop', config: { rho: 'x' }, registered_name: null },
  ),
  anyValue,
);

it('compile: every bad optimizer, loss or metric is a typed error naming it', () => {
  const t = newTally('compile');
  const model = makeModel();
  fc.assert(
    fc.property(
      fc.record(
        {
          optimizer: identifiers,
          loss: identifiers,
          metrics: fc.oneof(fc.array(identifiers, { maxLength: 3 }), anyValue),
          extra: fc.option(anyValue),
        },
        { requiredKeys: [] },
      ),
      (args) => {
        const { extra, ...rest } = args;
        const given = extra === undefined ? rest : { ...rest, extra };
        runCase(t, `compile(${Object.keys(given).join(',')})`, given, () => model.compile(given as never), {
          names: ['optimizer', 'loss', 'metrics', 'args', 'extra', 'learning_rate', 'learningRate'],
        });
      },
    ),
    { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 1500 * RUNS },
  );
  fc.assert(
    fc.property(anyValue, (args) =>
      runCase(t, `compile(<${typeof args}>)`, args, () => model.compile(args as never), {
        names: ['args', 'loss', 'options'],
      }),
    ),
    { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 100 * RUNS },
  );
  reportTally(t);
});

// Option values for fit, without the valid huge epoch counts (they are long runs, not bad input).
const bounded = (v: unknown): boolean => !(typeof v === 'number' && Number.isInteger(v) && v > 3);
const fitValue = fc.oneof(
  fc.constantFrom(...nastyConstants.filter(bounded)),
  fc.integer({ min: -2, max: 3 }),
  fc.constantFrom(0.25, 0.5, 0.99, 1),
);

function fitOptions() {
  const keys = [
    'batchSize',
    'epochs',
    'verbose',
    'callbacks',
    'validationSplit',
    'validationData',
    'validationBatchSize',
    'shuffle',
    'seed',
    'initialEpoch',
    'steps',
    'nope',
  ];
  return fc
    .record({
      replace: fc.uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: 2 }),
      values: fc.array(fitValue, { minLength: 2, maxLength: 2 }),
    })
    .map(({ replace, values }) => {
      const options: Record<string, unknown> = { epochs: 1, batchSize: 2, verbose: 0, seed: 1 };
      replace.forEach((k, i) => (options[k] = values[i]));
      return { options, changed: replace };
    });
}

it('fit: bad data and options are typed errors; good ones train to finite losses', async () => {
  const t = newTally('fit');
  const model = makeModel();
  model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
  await fc.assert(
    fc.asyncProperty(
      fc.nat(3),
      tensorInput(0, 4),
      tensorInput(0, 3),
      fitOptions(),
      async (which, xGen, yGen, { options, changed }) => {
        // which: 0 both data bad, 1 x bad, 2 y bad, 3 options bad only.
        const x = which <= 1 ? xGen.value : X();
        const y = which === 0 || which === 2 ? yGen.value : Y();
        const inputs = [x, y, options];
        const finite =
          which === 3 || (which === 1 ? xGen.finite : which === 2 ? yGen.finite : xGen.finite && yGen.finite);
        await runAsyncCase(
          t,
          `fit(${which}, ${changed.join(',')})`,
          inputs,
          async () => await model.fit(x as never, y as never, options as never),
          {
            names: ['x', 'y', 'inputs', 'inputShape', 'validationData', ...changed, 'options', 'sample', 'batch'],
            check: (history) => {
              if (!finite || changed.includes('validationData')) return null;
              const losses = (history as { history: Record<string, number[]> }).history.loss ?? [];
              return losses.every(Number.isFinite) ? null : `a non-finite loss ${losses} from finite data`;
            },
          },
        );
        // The model still predicts after whatever happened.
        runCase(t, 'predict after fit', [], () => model.predict(X()), { check: finite ? allFinite : () => null });
      },
    ),
    { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 700 * RUNS },
  );
  reportTally(t);
});

it('predict and evaluate: bad data and options are typed errors', () => {
  const t = newTally('predict/evaluate');
  const model = makeModel();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  fc.assert(
    fc.property(
      fc.oneof(tensorInput(0, 4), tensorInput(3, 3, [4, 3, 2])),
      fc.oneof(
        mutatedOptions({ batchSize: 2, verbose: 0 }, ['batchSize', 'verbose', 'callbacks', 'steps']),
        fc.constant({ options: { batchSize: 3 }, changed: [] as string[] }),
      ),
      ({ value: x, finite }, { options, changed }) => {
        runCase(t, 'predict', [x, options], () => model.predict(x as never, options as never), {
          names: ['x', 'inputs', 'inputShape', ...changed, 'options'],
          check: finite ? allFinite : undefined,
        });
        runCase(t, 'evaluate', [x, options], () => model.evaluate(x as never, Y(), options as never), {
          names: ['x', 'y', 'inputs', 'inputShape', ...changed, 'options'],
        });
      },
    ),
    { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 800 * RUNS },
  );
  reportTally(t);
});
