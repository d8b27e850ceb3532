/**
 * TF.js files both ways, against the @tensorflow/tfjs dev dependency: models tfjs itself saved
 * (test/fixtures/tfjs, made by scripts/make-tfjs-fixtures.ts) load in keras-gru and predict as tfjs did, and
 * keras-gru's TF.js export loads in `tf.loadLayersModel` and predicts as keras-gru does.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Dense,
  Embedding,
  GRU,
  Model,
  Sequential,
  input,
  loadModel,
  setRandomSeed,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { modelToTfjs } from '../../src/keras/model-exports.js';
import { TfjsExportError } from '../../src/keras/tfjs-config.js';
import { modelFilePath } from './model-fixtures.js';

const TFJS = fileURLToPath(new URL('../fixtures/tfjs', import.meta.url));

interface Expected {
  input: { shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** keras-gru's export as tfjs loads it: model.json and the shards through tf.io.fromMemory. */
async function loadInTfjs(model: Model): Promise<tf.LayersModel> {
  const { modelJson, shards } = modelToTfjs(model);
  const json = JSON.parse(JSON.stringify(modelJson)) as typeof modelJson;
  const bytes = new Uint8Array(shards.reduce((n, s) => n + s.data.length, 0));
  let at = 0;
  for (const shard of shards) {
    bytes.set(shard.data, at);
    at += shard.data.length;
  }
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[];
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology as tf.io.ModelJSON['modelTopology'],
      weightSpecs,
      weightData: bytes.buffer,
    }),
  );
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('models saved by TensorFlow.js 4.x load in keras-gru', () => {
  it.each(['gru-dense', 'stacked-gru', 'embedding-gru'])('%s predicts as tfjs did (1e-5)', async (name) => {
    const expected = JSON.parse(readFileSync(join(TFJS, name, 'expected.json'), 'utf8')) as Expected;
    const text = readFileSync(join(TFJS, name, 'model.json'), 'utf8');
    // As tfjs writes them: `implementation: null`, `batch_input_shape`, `dtype`, Keras 2 semantics.
    expect(text).toContain('"implementation": null');
    expect(text).toContain('"batch_input_shape"');
    const model = await loadModel(join(TFJS, name, 'model.json'));
    expect(model.loadedFrom?.semantics).toBe(2);
    const y = (await model.predict(tensor(Float32Array.from(expected.input.data), expected.input.shape))) as Tensor;
    expect(y.shape).toEqual(expected.output.shape);
    expect(maxAbsDiff(y.dataSync(), expected.output.data)).toBeLessThan(1e-5);
  });
});

describe("keras-gru's TF.js export loads in tf.loadLayersModel", () => {
  const x = Float32Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i * 0.37));

  it('Sequential GRU(resetAfter: false) → Dense predicts the same in tfjs', async () => {
    setRandomSeed(7);
    const model = new Sequential([
      input({ shape: [5, 3] }),
      new GRU({ units: 4, resetAfter: false }),
      new Dense({ units: 2, activation: 'tanh' }),
    ]);
    const ours = ((await model.predict(tensor(x, [2, 5, 3]))) as Tensor).dataSync();
    const loaded = await loadInTfjs(model);
    const theirs = await (loaded.predict(tf.tensor(x, [2, 5, 3])) as tf.Tensor).data();
    expect(maxAbsDiff(theirs, ours)).toBeLessThan(1e-5);
  });

  it('stacked GRUs with returnSequences, goBackwards, and an Embedding', async () => {
    setRandomSeed(8);
    const model = new Sequential([
      input({ shape: [5] }),
      new Embedding({ inputDim: 9, outputDim: 3 }),
      new GRU({ units: 4, resetAfter: false, returnSequences: true }),
      new GRU({ units: 3, resetAfter: false, goBackwards: true }),
      new Dense({ units: 1 }),
    ]);
    const ids = [1, 2, 3, 4, 8, 0, 7, 5, 6, 2];
    const ours = ((await model.predict(tensor(ids, [2, 5]))) as Tensor).dataSync();
    const loaded = await loadInTfjs(model);
    const theirs = await (loaded.predict(tf.tensor(ids, [2, 5], 'int32')) as tf.Tensor).data();
    expect(maxAbsDiff(theirs, ours)).toBeLessThan(1e-5);
  });

  it('a tfjs file read by keras-gru exports back into tfjs unchanged in its predictions', async () => {
    const expected = JSON.parse(readFileSync(join(TFJS, 'gru-dense', 'expected.json'), 'utf8')) as Expected;
    const loaded = await loadInTfjs(await loadModel(join(TFJS, 'gru-dense', 'model.json')));
    const y = await (loaded.predict(tf.tensor(expected.input.data, expected.input.shape)) as tf.Tensor).data();
    expect(maxAbsDiff(y, expected.output.data)).toBeLessThan(1e-5);
  });

  it('resetAfter: true (Keras 3 default), which tfjs cannot run, is a TfjsExportError that says so', () => {
    const model = new Sequential([
      input({ shape: [5, 3] }),
      new GRU({ units: 4, name: 'encoder' }),
      new Dense({ units: 1 }),
    ]);
    expect(() => modelToTfjs(model)).toThrow(TfjsExportError);
    expect(() => modelToTfjs(model)).toThrow(/layer 'encoder': TF.js cannot run a GRU with resetAfter: true/);
  });

  it("Keras 3's hard_sigmoid, which tfjs computes as Keras 2's, is a TfjsExportError", async () => {
    const model = await loadModel(modelFilePath('forecaster.keras'));
    expect(() => modelToTfjs(model)).toThrow(
      /recurrent_activation 'hard_sigmoid' is relu6\(x \+ 3\) \/ 6 in Keras 3 but 0\.2·x \+ 0\.5 in TF\.js/,
    );
  });
});
