/**
 * Fuzz: the constructor options of every layer (wrong types, negatives, NaN, infinities, huge sizes, unknown
 * names), then — when a layer is accepted — building and calling it on a small input. Also the whole argument
 * replaced by something that is not an options object.
 */
import fc from 'fast-check';
import { it } from 'vitest';
import {
  ActivationLayer,
  Add,
  Bidirectional,
  Concatenate,
  Dense,
  Dot,
  Dropout,
  Embedding,
  Flatten,
  GRU,
  GRUCell,
  InputLayer,
  input,
  Masking,
  Permute,
  RepeatVector,
  Reshape,
  RNN,
  TimeDistributed,
  tensor,
  type Layer,
} from '../../src/index.js';
import { allFinite, FUZZ_SEED, newTally, PROPERTY_MS, reportTally, runCase } from './harness.js';
import { anyValue, mutatedOptions } from './values.js';

const LAYER_ARGS = ['name', 'trainable', 'dtype', 'activityRegularizer'];
const GRU_CELL_KEYS = [
  'units',
  'activation',
  'recurrentActivation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'recurrentConstraint',
  'biasConstraint',
  'dropout',
  'recurrentDropout',
  'resetAfter',
  'seed',
  'implementation',
  ...LAYER_ARGS,
];
const RNN_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask'];

const seq = (): ReturnType<typeof tensor> =>
  tensor(
    Array.from({ length: 12 }, (_, k) => Math.sin(k)),
    [2, 3, 2],
  );

interface Subject {
  name: string;
  valid: () => Record<string, unknown>;
  keys: readonly string[];
  make: (options: unknown) => Layer;
  /** Calls a constructed layer on a small input. */
  use: (layer: Layer) => unknown;
}

const subjects: Subject[] = [
  {
    name: 'GRU',
    valid: () => ({ units: 3 }),
    keys: [...GRU_CELL_KEYS, ...RNN_KEYS],
    make: (o) => new GRU(o as never),
    use: (l) => l.apply(seq(), { training: true }),
  },
  {
    name: 'GRUCell',
    valid: () => ({ units: 3 }),
    keys: GRU_CELL_KEYS,
    make: (o) => new GRUCell(o as never),
    use: (l) => new RNN({ cell: l as GRUCell }).apply(seq(), { training: true }),
  },
  {
    name: 'RNN',
    valid: () => ({ cell: new GRUCell({ units: 2 }) }),
    keys: ['cell', ...RNN_KEYS, ...LAYER_ARGS],
    make: (o) => new RNN(o as never),
    use: (l) => l.apply(seq()),
  },
  {
    name: 'Dense',
    valid: () => ({ units: 3 }),
    keys: [
      'units',
      'activation',
      'useBias',
      'kernelInitializer',
      'biasInitializer',
      'kernelRegularizer',
      'biasRegularizer',
      'kernelConstraint',
      'biasConstraint',
      ...LAYER_ARGS,
    ],
    make: (o) => new Dense(o as never),
    use: (l) => l.apply(seq()),
  },
  {
    name: 'Dropout',
    valid: () => ({ rate: 0.5 }),
    keys: ['rate', 'noiseShape', 'seed', ...LAYER_ARGS],
    make: (o) => new Dropout(o as never),
    use: (l) => l.apply(seq(), { training: true }),
  },
  {
    name: 'Embedding',
    valid: () => ({ inputDim: 5, outputDim: 2 }),
    keys: [
      'inputDim',
      'outputDim',
      'embeddingsInitializer',
      'embeddingsRegularizer',
      'embeddingsConstraint',
      'maskZero',
      ...LAYER_ARGS,
    ],
    make: (o) => new Embedding(o as never),
    use: (l) =>
      l.apply(
        tensor(
          [
            [1, 2, 0],
            [4, 3, 0],
          ],
          undefined,
          'int32',
        ),
      ),
  },
  {
    name: 'Masking',
    valid: () => ({ maskValue: 0 }),
    keys: ['maskValue', ...LAYER_ARGS],
    make: (o) => new Masking(o as never),
    use: (l) => l.apply(seq()),
  },
  {
    name: 'Bidirectional',
    valid: () => ({ layer: new GRU({ units: 2 }) }),
    keys: ['layer', 'mergeMode', 'backwardLayer', 'weights', ...LAYER_ARGS],
    make: (o) => new Bidirectional(o as never),
    use: (l) => l.apply(seq()),
  },
  {
    name: 'TimeDistributed',
    valid: () => ({ layer: new Dense({ units: 2 }) }),
    keys: ['layer', ...LAYER_ARGS],
    make: (o) => new TimeDistributed(o as never),
    use: (l) => l.apply(seq()),
  },
  {
    name: 'Add',
    valid: () => ({}),
    keys: LAYER_ARGS,
    make: (o) => new Add(o as never),
    use: (l) => l.apply([seq(), seq()]),
  },
  {
    name: 'Concatenate',
    valid: () => ({ axis: -1 }),
    keys: ['axis', ...LAYER_ARGS],
    make: (o) => new Concatenate(o as never),
    use: (l) => l.apply([seq(), seq()]),
  },
  {
    name: 'Dot',
    valid: () => ({ axes: [2, 2] }),
    keys: ['axes', 'normalize', ...LAYER_ARGS],
    make: (o) => new Dot(o as never),
    use: (l) => l.apply([seq(), seq()]),
  },
  {
    name: 'Activation',
    valid: () => ({ activation: 'tanh' }),
    keys: ['activation', ...LAYER_ARGS],
    make: (o) => new ActivationLayer(o as never),
    use: (l) => l.apply(seq()),
  },
  {
    name: 'RepeatVector',
    valid: () => ({ n: 2 }),
    keys: ['n', ...LAYER_ARGS],
    make: (o) => new RepeatVector(o as never),
    use: (l) =>
      l.apply(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
  },
  {
    name: 'Flatten',
    valid: () => ({ dataFormat: 'channels_last' }),
    keys: ['dataFormat', ...LAYER_ARGS],
    make: (o) => new Flatten(o as never),
    use: (l) => l.apply(seq()),
  },
  {
    name: 'Reshape',
    valid: () => ({ targetShape: [-1, 3] }),
    keys: ['targetShape', ...LAYER_ARGS],
    make: (o) => new Reshape(o as never),
    use: (l) => l.apply(seq()),
  },
  {
    name: 'Permute',
    valid: () => ({ dims: [2, 1] }),
    keys: ['dims', ...LAYER_ARGS],
    make: (o) => new Permute(o as never),
    use: (l) => l.apply(seq()),
  },
  {
    name: 'InputLayer',
    valid: () => ({ shape: [3, 2] }),
    keys: ['shape', 'batchSize', 'batchShape', 'dtype', 'name', 'sparse', 'ragged'],
    make: (o) => new InputLayer(o as never),
    use: () => null,
  },
];

const RUNS = Number(process.env.FUZZ_RUNS_SCALE ?? 1);

it('layer constructors: every bad option is a typed error naming it, every accepted one gives a working layer', () => {
  const t = newTally('layer constructors');
  for (const s of subjects) {
    fc.assert(
      fc.property(mutatedOptions(s.valid(), s.keys), ({ options, changed }) => {
        let layer: Layer | undefined;
        runCase(t, `new ${s.name}(${changed.join(', ')})`, options, () => (layer = s.make(options)), {
          names: changed,
        });
        if (layer !== undefined) {
          const made = layer;
          runCase(t, `${s.name}(${changed.join(', ')}).apply`, options, () => s.use(made), { check: allFinite });
        }
      }),
      { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 350 * RUNS },
    );
    // The whole argument replaced.
    fc.assert(
      fc.property(anyValue, (options) => {
        runCase(t, `new ${s.name}(<${typeof options}>)`, options, () => s.make(options), {
          names: ['options', 'args', ...s.keys],
        });
      }),
      { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 60 * RUNS },
    );
  }
  // input(): the functional entry point.
  fc.assert(
    fc.property(
      mutatedOptions({ shape: [3, 2] }, ['shape', 'batchSize', 'batchShape', 'dtype', 'name']),
      ({ options, changed }) => {
        runCase(t, `input(${changed.join(', ')})`, options, () => input(options as never), { names: changed });
      },
    ),
    { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 300 * RUNS },
  );
  reportTally(t);
});
