/**
 * Fuzz: what layers are called with — inputs of every rank and dtype (batch 0 and 0 steps included), ragged and
 * junk values, NaN/Inf, masks and initial states of the wrong shape or dtype — and `setWeights` lists. A call
 * ends in a typed error or a correct result: outputs of the expected leading shape, finite for finite input.
 */
import fc from 'fast-check';
import { it } from 'vitest';
import {
  Bidirectional,
  Dense,
  Dropout,
  Embedding,
  GRU,
  Masking,
  TimeDistributed,
  Tensor,
  type Layer,
} from '../../src/index.js';
import { allFinite, FUZZ_SEED, newTally, PROPERTY_MS, reportTally, runCase, snapshot } from './harness.js';
import { tensorInput, tensorSpec, toTensor } from './tensors.js';
import { anyValue } from './values.js';

const RUNS = Number(process.env.FUZZ_RUNS_SCALE ?? 1);

interface Maker {
  name: string;
  make: (flags: boolean[]) => Layer;
}

const makers: Maker[] = [
  {
    name: 'GRU',
    make: ([a, b, c, d, e, f]) =>
      new GRU({
        units: 3,
        returnSequences: a,
        returnState: b,
        goBackwards: c,
        resetAfter: d,
        unroll: e,
        dropout: f ? 0.3 : 0,
        recurrentDropout: f && a ? 0.2 : 0,
        seed: 1,
      }),
  },
  { name: 'GRU stateful', make: ([a]) => new GRU({ units: 2, stateful: true, returnSequences: a }) },
  {
    name: 'GRU relu',
    make: ([a]) => new GRU({ units: 2, activation: 'relu', recurrentActivation: 'hard_sigmoid', returnSequences: a }),
  },
  { name: 'Dense', make: ([a]) => new Dense({ units: 2, activation: a ? 'softmax' : 'relu' }) },
  { name: 'Dropout', make: () => new Dropout({ rate: 0.5, seed: 3 }) },
  { name: 'Embedding', make: ([a]) => new Embedding({ inputDim: 5, outputDim: 2, maskZero: a }) },
  { name: 'Masking', make: () => new Masking({ maskValue: 0 }) },
  {
    name: 'Bidirectional',
    make: ([a, b]) =>
      new Bidirectional({ layer: new GRU({ units: 2, returnSequences: a }), mergeMode: b ? 'concat' : 'sum' }),
  },
  { name: 'TimeDistributed', make: () => new TimeDistributed({ layer: new Dense({ units: 2 }) }) },
];

const optionsArb = fc.record(
  {
    training: fc.oneof(fc.boolean(), anyValue),
    mask: fc.oneof({ weight: 3, arbitrary: tensorInput(1, 3).map((m) => m.value) }, { weight: 1, arbitrary: anyValue }),
    initialState: fc.oneof(
      tensorInput(1, 3).map((m) => m.value),
      fc.array(
        tensorInput(2, 2).map((m) => m.value),
        { maxLength: 3 },
      ),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);

/** Checks a call's result: tensors, leading dim = batch, finite when the input was finite. */
function resultCheck(x: unknown, finite: boolean, hasExtras: boolean) {
  return (result: unknown): string | null => {
    const list = Array.isArray(result) ? result : [result];
    if (!list.every((r) => r instanceof Tensor)) return 'a non-tensor output';
    if (x instanceof Tensor && x.rank > 0 && (list[0] as Tensor).shape[0] !== x.shape[0])
      return `batch ${(list[0] as Tensor).shape[0]} for input batch ${x.shape[0]}`;
    return finite && !hasExtras ? allFinite(result) : null;
  };
}

it('apply: inputs, masks, initial states of every shape and dtype', () => {
  const t = newTally('apply inputs');
  for (const m of makers) {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        tensorInput(0, 4),
        optionsArb,
        (flags, prebuild, { value: x, finite }, options) => {
          const layer = m.make(flags);
          if (prebuild)
            layer.build(
              m.name === 'Embedding' || m.name === 'Dense' || m.name === 'Dropout' ? [null, 3] : [null, 3, 2],
            );
          const extras = options.mask !== undefined || options.initialState !== undefined;
          runCase(
            t,
            `${m.name}.apply(${snapshot(x).slice(0, 60)}, ${Object.keys(options).join('/')})`,
            [x, options],
            () => layer.apply(x as Tensor, options as never),
            {
              names: ['inputs', 'inputShape', 'mask', 'initialState', 'training', 'options'],
              check: resultCheck(x, finite, extras),
            },
          );
          // A stateful layer carries a NaN state on from a non-finite input (as Keras does): reset it.
          if (!finite && m.name === 'GRU stateful' && layer.built) (layer as GRU).states = null;
          // A second call with plain well-formed input still works (nothing half-done by a failed call).
          runCase(
            t,
            `${m.name}.apply after`,
            [],
            () =>
              layer.built && m.name.startsWith('GRU')
                ? layer.apply(
                    toTensor({
                      shape: [1, 2, (layer.buildInputShape?.[2] as number) ?? 2],
                      dtype: 'float32',
                      values: Array.from(
                        { length: 2 * ((layer.buildInputShape?.[2] as number) ?? 2) },
                        (_, k) => k / 7,
                      ),
                    }),
                  )
                : null,
            {
              check: (r) => (r === null ? null : allFinite(r)),
            },
          );
        },
      ),
      { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 320 * RUNS },
    );
  }
  reportTally(t);
});

it('apply: GRU on well-formed finite input never gives NaN (large magnitudes included)', () => {
  const t = newTally('apply finite');
  fc.assert(
    fc.property(
      tensorSpec(3, 3, true, [null, null, 2]),
      fc.boolean(),
      fc.boolean(),
      (spec, resetAfter, goBackwards) => {
        const x = toTensor({ ...spec, dtype: spec.dtype === 'float64' ? 'float64' : 'float32' });
        const layer = new GRU({ units: 3, resetAfter, goBackwards, returnSequences: true });
        runCase(t, `GRU(${spec.shape})`, x, () => layer.apply(x), { check: allFinite });
      },
    ),
    { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 600 * RUNS },
  );
  reportTally(t);
});

it('setWeights: wrong counts, shapes, dtypes and junk change nothing; a good list is taken whole', () => {
  const t = newTally('setWeights');
  fc.assert(
    fc.property(
      fc.constantFrom('GRU', 'Dense', 'Embedding', 'Bidirectional'),
      fc.array(
        fc.oneof(
          tensorSpec(0, 3).map(toTensor),
          tensorSpec(1, 2, true, [2, 9]).map(toTensor),
          tensorSpec(2, 2, true, [3, 9]).map(toTensor),
          anyValue,
        ),
        { maxLength: 7 },
      ),
      (kind, weights) => {
        const layer =
          kind === 'GRU'
            ? new GRU({ units: 3 })
            : kind === 'Dense'
              ? new Dense({ units: 9 })
              : kind === 'Embedding'
                ? new Embedding({ inputDim: 2, outputDim: 9 })
                : new Bidirectional({ layer: new GRU({ units: 3 }) });
        layer.build(kind === 'Dense' ? [null, 2] : kind === 'Embedding' ? [null, 4] : [null, 4, 2]);
        const before = snapshot(layer.getWeights());
        let threw = true;
        runCase(
          t,
          `${kind}.setWeights(${weights.length})`,
          weights,
          () => {
            layer.setWeights(weights as never);
            threw = false;
          },
          { names: ['weights'] },
        );
        if (threw && snapshot(layer.getWeights()) !== before) {
          t.other++;
          t.failures.push(`${kind}.setWeights: a failed call changed the weights`);
        }
      },
    ),
    { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 1500 * RUNS },
  );
  reportTally(t);
});
