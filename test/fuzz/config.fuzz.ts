/**
 * Fuzz: Keras configs — a layer's `get_config()` and whole-model configs of the Keras fixtures, mutated at
 * random paths — through `deserializeLayer`, `<Layer>.fromConfig` and `modelFromKerasConfig`. Each gives a typed
 * error or a working layer/model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { it } from 'vitest';
import {
  Bidirectional,
  Dense,
  deserializeLayer,
  Embedding,
  GRU,
  Model,
  modelFromKerasConfig,
  serializeLayer,
  TimeDistributed,
  type Layer,
} from '../../src/index.js';
import { FIXTURE_DIR } from '../helpers/fixtures.js';
import { FUZZ_SEED, newTally, PROPERTY_MS, reportTally, runCase } from './harness.js';
import { mutatedJson } from './json-mutation.js';

const RUNS = Number(process.env.FUZZ_RUNS_SCALE ?? 1);

const layers: Layer[] = [
  new GRU({ units: 3, returnSequences: true, dropout: 0.1, kernelRegularizer: 'l2' }),
  new GRU({ units: 2, resetAfter: false, recurrentActivation: 'hard_sigmoid', stateful: true }),
  new Dense({ units: 2, activation: 'relu' }),
  new Embedding({ inputDim: 5, outputDim: 2, maskZero: true }),
  new Bidirectional({ layer: new GRU({ units: 2 }) }),
  new TimeDistributed({ layer: new Dense({ units: 2 }) }),
];

it('deserializeLayer: mutated layer configs', () => {
  const t = newTally('layer configs');
  for (const layer of layers) {
    const json = serializeLayer(layer);
    fc.assert(
      fc.property(mutatedJson(json), ({ doc, mutations }) => {
        runCase(
          t,
          `deserializeLayer(${layer.className} ${mutations.map((m) => `${m.op} ${m.path.join('.')}`).join('; ')})`,
          doc,
          () => deserializeLayer(doc),
        );
      }),
      { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 300 * RUNS },
    );
    fc.assert(
      fc.property(mutatedJson(layer.getConfig()), ({ doc, mutations }) => {
        const cls = layer.constructor as unknown as { fromConfig: (c: unknown) => Layer };
        runCase(
          t,
          `${layer.className}.fromConfig(${mutations.map((m) => `${m.op} ${m.path.join('.')}`).join('; ')})`,
          doc,
          () => cls.fromConfig(doc),
        );
      }),
      { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 200 * RUNS },
    );
  }
  reportTally(t);
});

it('modelFromKerasConfig: mutated model configs of the Keras fixtures give a typed error or a model that predicts', () => {
  const t = newTally('model configs');
  for (const name of ['forecaster', 'tagger', 'text_classifier']) {
    const fixture = JSON.parse(readFileSync(join(FIXTURE_DIR, `model-${name}.json`), 'utf8')) as { config: unknown };
    fc.assert(
      fc.property(mutatedJson(fixture.config), ({ doc, mutations }) => {
        runCase(
          t,
          `modelFromKerasConfig(${name}: ${mutations.map((m) => `${m.op} ${m.path.join('.')}`).join('; ')})`,
          doc,
          () => modelFromKerasConfig(doc),
          {
            check: (m) => (m instanceof Model ? null : 'not a Model'),
          },
        );
      }),
      { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 400 * RUNS },
    );
  }
  reportTally(t);
});
