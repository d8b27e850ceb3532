/**
 * TF.js files both ways, against the @tensorflow/tfjs dev dependency: models tfjs itself saved
 * (test/fixtures/tfjs, made by scripts/make-tfjs-fixtures.ts) load in keras-gru and predict as tfjs did, and
 * keras-gru's TF.js export loads in `tf.loadLayersModel` and predicts as keras-gru does.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Attention,
  BatchNormalization,
  Concatenate,
  Conv1D,
  Dense,
  Embedding,
  FileExistsError,
  GlobalAveragePooling1D,
  LayerNormalization,
  MaxPooling1D,
  GRU,
  Model,
  Sequential,
  input,
  loadModel,
  setRandomSeed,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { TFJS_LAYER_CLASSES, TfjsExportError } from '../../src/keras/tfjs-config.js';
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
  const { modelJson, shards } = model.toTfjs();
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
    expect(() => model.toTfjs()).toThrow(TfjsExportError);
    expect(() => model.toTfjs()).toThrow(/layer 'encoder': TF.js cannot run a GRU with resetAfter: true/);
  });

  it("model.save('dir/model.json') writes model.json and its shards, which tfjs and keras-gru read back", async () => {
    setRandomSeed(9);
    const model = new Sequential([
      input({ shape: [6, 2] }),
      new GRU({ units: 4, resetAfter: false }),
      new Dense({ units: 3 }),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'keras-gru-tfjs-'));
    const path = join(dir, 'model.json');
    await model.save(path);
    const json = JSON.parse(readFileSync(path, 'utf8')) as { weightsManifest: { paths: string[] }[] };
    const shardPaths = json.weightsManifest.flatMap((group) => group.paths);
    expect(readdirSync(dir).sort()).toEqual(['model.json', ...shardPaths].sort());
    const data = Array.from({ length: 2 * 6 * 2 }, (_, i) => Math.cos(i));
    const ours = ((await model.predict(tensor(data, [2, 6, 2]))) as Tensor).dataSync();
    const shards = shardPaths.map((name) => readFileSync(join(dir, name)));
    const bytes = new Uint8Array(Buffer.concat(shards));
    const inTfjs = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: (json as unknown as tf.io.ModelJSON).modelTopology,
        weightSpecs: (
          json as unknown as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }
        ).weightsManifest.flatMap((g) => g.weights),
        weightData: bytes.buffer,
      }),
    );
    const theirs = await (inTfjs.predict(tf.tensor(data, [2, 6, 2])) as tf.Tensor).data();
    expect(maxAbsDiff(theirs, ours)).toBeLessThan(1e-5);
    const back = ((await (await loadModel(path)).predict(tensor(data, [2, 6, 2]))) as Tensor).dataSync();
    expect(maxAbsDiff(back, ours)).toBe(0);
    await expect(model.save(path)).rejects.toBeInstanceOf(FileExistsError);
    await model.save(path, { overwrite: true });
  });

  it("model.save('m.h5') writes a legacy .h5; other endings are an InvalidArgumentError naming the path", async () => {
    setRandomSeed(10);
    const model = new Sequential([input({ shape: [5, 2] }), new GRU({ units: 3 }), new Dense({ units: 1 })]);
    const dir = mkdtempSync(join(tmpdir(), 'keras-gru-h5-'));
    await model.save(join(dir, 'm.h5'));
    const loaded = await loadModel(join(dir, 'm.h5'));
    expect(loaded.loadedFrom?.format).toBe('legacy-h5');
    const data = Array.from({ length: 5 * 2 }, (_, i) => Math.sin(i));
    const a = ((await model.predict(tensor(data, [1, 5, 2]))) as Tensor).dataSync();
    const b = ((await loaded.predict(tensor(data, [1, 5, 2]))) as Tensor).dataSync();
    expect(maxAbsDiff(a, b)).toBe(0);
    for (const bad of ['m.weights.h5', 'm.txt', 'm']) {
      const attempt = model.save(join(dir, bad));
      await expect(attempt).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(model.save(join(dir, bad))).rejects.toThrow(/path.*\.keras.*\.h5.*\.json/s);
    }
    expect(readdirSync(dir)).toEqual(['m.h5']);
  });

  it('every layer class the export lets through is one tfjs registers', () => {
    const registered = tf.serialization.SerializationMap.getMap().classNameMap;
    // keras-gru's 'Functional' is written as tfjs's 'Model'.
    const missing = [...TFJS_LAYER_CLASSES].filter((name) => name !== 'Functional' && !(name in registered));
    expect(missing).toEqual([]);
    for (const name of ['Attention', 'AdditiveAttention', 'Subtract']) expect(name in registered).toBe(false);
  });

  it('convolution, pooling, normalization and merge layers around a GRU export and predict as in keras-gru', async () => {
    setRandomSeed(5);
    const x = input({ shape: [9, 3] });
    const conv = new Conv1D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
    const norm = new LayerNormalization().apply(new MaxPooling1D({ poolSize: 2 }).apply(conv));
    const batchNorm = new BatchNormalization();
    const seq = new GRU({ units: 5, resetAfter: false, returnSequences: true }).apply(batchNorm.apply(norm));
    const merged = new Concatenate().apply([
      new GlobalAveragePooling1D().apply(seq),
      new GlobalAveragePooling1D().apply(norm),
    ]);
    const model = new Model({ inputs: x, outputs: new Dense({ units: 2 }).apply(merged) });
    // Moving statistics far from 0 and 1, so a misread of them shows.
    const [gamma, beta] = batchNorm.getWeights();
    batchNorm.setWeights([gamma!, beta!, tensor([0.3, -0.2, 0.5, 0.1], [4]), tensor([2, 0.5, 1.5, 3], [4])]);
    const data = Array.from({ length: 2 * 9 * 3 }, (_, i) => Math.sin(i * 0.7));
    const ours = ((await model.predict(tensor(data, [2, 9, 3]))) as Tensor).dataSync();
    const loaded = await loadInTfjs(model);
    const theirs = await (loaded.predict(tf.tensor(data, [2, 9, 3])) as tf.Tensor).data();
    expect(maxAbsDiff(theirs, ours)).toBeLessThan(1e-5);
  });

  it('a layer tfjs does not have (Attention) is a TfjsExportError naming it', () => {
    const q = input({ shape: [4, 3] });
    const v = input({ shape: [6, 3] });
    const attended = new Attention({ name: 'look' }).apply([q, v]);
    const model = new Model({ inputs: [q, v], outputs: attended });
    expect(() => model.toTfjs()).toThrow(TfjsExportError);
    expect(() => model.toTfjs()).toThrow(/layer 'look': TF.js has no Attention layer/);
  });

  it('options tfjs layers lack (Conv1D groups, LayerNormalization rmsScaling) are a TfjsExportError naming the layer', () => {
    const grouped = new Sequential([
      input({ shape: [6, 4] }),
      new Conv1D({ filters: 4, kernelSize: 2, groups: 2, name: 'g' }),
    ]);
    expect(() => grouped.toTfjs()).toThrow(/layer 'g': TF.js's Conv1D has no groups \(this one has 2\)/);
    const rms = new Sequential([input({ shape: [6, 4] }), new LayerNormalization({ rmsScaling: true, name: 'n' })]);
    expect(() => rms.toTfjs()).toThrow(TfjsExportError);
    expect(() => rms.toTfjs()).toThrow(/layer 'n': TF.js's LayerNormalization has no rms_scaling/);
  });

  it("Keras 3's hard_sigmoid, which tfjs computes as Keras 2's, is a TfjsExportError", async () => {
    const model = await loadModel(modelFilePath('forecaster.keras'));
    expect(() => model.toTfjs()).toThrow(
      /recurrent_activation 'hard_sigmoid' is relu6\(x \+ 3\) \/ 6 in Keras 3 but 0\.2·x \+ 0\.5 in TF\.js/,
    );
  });
});
