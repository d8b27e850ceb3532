/**
 * Done when (issue 14, item 1): the encoder–decoder models Keras users save load from `.keras` and legacy
 * `.h5` and predict within 1e-5 of Keras — `initial_state` passed as a call keyword (one tensor or a list),
 * `build_config.shapes_dict`, `return_state` outputs (Bidirectional's forward and backward states) feeding
 * Concatenate and the decoder — and saving them again gives Keras's config.json key for key and Keras's
 * layer weights and optimizer state. Fixtures made by real Keras 3.15.1: test/fixtures/user-models (see SOURCE.md there).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readKerasArchive } from '../../src/io/keras-archive.js';
import { loadModel } from '../../src/keras/load-model.js';
import { modelFromKerasConfig } from '../../src/keras/model-config.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { maxAbsDiff, toTensor, type FixtureTensor } from '../helpers/fixtures.js';
import { stripShared } from '../helpers/layer-configs.js';
import { expectSameTree } from './tree-compare.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'user-models');
const NAMES = ['seq2seq_initial_state', 'bidirectional_encoder_decoder'] as const;
const path = (file: string): string => join(DIR, file);
const bytes = (file: string): Uint8Array => new Uint8Array(readFileSync(path(file)));

interface UserModelFixture {
  keras_version: string;
  inputs: FixtureTensor[];
  outputs: FixtureTensor[];
}
const fixture = (name: string): UserModelFixture =>
  JSON.parse(readFileSync(path(`${name}.json`), 'utf8')) as UserModelFixture;

describe('Keras encoder–decoder models load and predict as Keras', () => {
  it.each(NAMES)('%s.keras predicts within 1e-5 of Keras', async (name) => {
    const fx = fixture(name);
    const model = await loadModel(path(`${name}.keras`));
    const y = model.predict(fx.inputs.map((t) => toTensor(t))) as Tensor;
    expect(maxAbsDiff(y, fx.outputs[0]!)).toBeLessThan(1e-5);
  });

  it.each(NAMES)('%s.h5 (legacy) predicts within 1e-5 of Keras', async (name) => {
    const fx = fixture(name);
    const model = await loadModel(bytes(`${name}.h5`));
    const y = model.predict(fx.inputs.map((t) => toTensor(t))) as Tensor;
    expect(maxAbsDiff(y, fx.outputs[0]!)).toBeLessThan(1e-5);
  });

  it.each(NAMES)(
    '%s saved again: config.json key for key and the weights tree of Keras, optimizer too',
    async (name) => {
      const model = await loadModel(path(`${name}.keras`));
      const ours = await readKerasArchive(await model.toBytes());
      const keras = await readKerasArchive(bytes(`${name}.keras`));
      expect(ours.members).toEqual(keras.members);
      expect(ours.config).toEqual(stripShared(keras.config));
      // Keras's file holds the state of its compiled model's optimizer (optimizer/vars: the int64 iteration count,
      // the learning rate, the slots); keras-gru restores it on load and writes it back dataset for dataset.
      expect(Object.keys(keras.weights.groups).sort()).toEqual(['layers', 'optimizer', 'vars']);
      expectSameTree(ours.weights, keras.weights);
    },
  );

  it('keeps initial_state as the file gives it: a list of one tensor, or one tensor', async () => {
    const seq = (await readKerasArchive(bytes('seq2seq_initial_state.keras'))).config;
    const model = modelFromKerasConfig(seq);
    const layers = (model.getConfig().layers as Record<string, unknown>[]).filter((l) => l.name === 'gru_1');
    const kwargs = (layers[0]!.inbound_nodes as { kwargs: Record<string, unknown> }[])[0]!.kwargs;
    expect(Array.isArray(kwargs.initial_state)).toBe(true);
    expect(layers[0]!.build_config).toEqual({
      shapes_dict: { sequences_shape: [null, 5, 2], initial_state_shape: [[null, 6]] },
    });
  });
});
