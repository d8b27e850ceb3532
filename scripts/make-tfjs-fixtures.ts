/**
 * Writes test/fixtures/tfjs/: models built and saved by TensorFlow.js itself (the @tensorflow/tfjs dev
 * dependency, CPU backend), so the tests read files as tfjs writes them (`batch_input_shape`, `dtype`,
 * `implementation`, its weight names) rather than ones keras-gru wrote. Each model is NAME/model.json +
 * NAME/weights.bin as tfjs's file handler lays them out, with NAME/expected.json holding a fixed input and
 * tfjs's `predict` on it. Run: `npx tsx scripts/make-tfjs-fixtures.ts` (the output is committed).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../test/fixtures/tfjs', import.meta.url));

interface Case {
  name: string;
  build: () => tf.LayersModel;
  /** The input's shape and values (integers for an Embedding). */
  input: () => { shape: number[]; data: number[] };
}

// Weights from seeded initializers, inputs from a fixed formula: re-running the script writes the same files.
const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
const recurrent = (seed: number) => tf.initializers.orthogonal({ seed });
const wave = (shape: number[]) => {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: size }, (_, i) => Number(Math.sin(0.7 * i + 0.3).toFixed(4))) };
};

const CASES: Case[] = [
  {
    name: 'gru-dense', // tfjs's GRU is always the resetAfter: false kind
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.gru({
            units: 5,
            inputShape: [6, 3],
            kernelInitializer: seeded(1),
            recurrentInitializer: recurrent(2),
            biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 }),
          }),
          tf.layers.dense({
            units: 2,
            kernelInitializer: seeded(4),
            biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 5 }),
          }),
        ],
      }),
    input: () => wave([3, 6, 3]),
  },
  {
    name: 'stacked-gru',
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.gru({
            units: 4,
            inputShape: [7, 2],
            returnSequences: true,
            kernelInitializer: seeded(11),
            recurrentInitializer: recurrent(12),
            biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 13 }),
          }),
          tf.layers.gru({
            units: 3,
            activation: 'relu',
            recurrentActivation: 'hardSigmoid',
            kernelInitializer: seeded(14),
            recurrentInitializer: recurrent(15),
          }),
          tf.layers.dense({ units: 1, kernelInitializer: seeded(16) }),
        ],
      }),
    input: () => wave([2, 7, 2]),
  },
  {
    name: 'embedding-gru',
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.embedding({
            inputDim: 12,
            outputDim: 4,
            inputLength: 5,
            embeddingsInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 21 }),
          }),
          tf.layers.gru({
            units: 6,
            goBackwards: true,
            kernelInitializer: seeded(22),
            recurrentInitializer: recurrent(23),
            biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 24 }),
          }),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: seeded(25) }),
        ],
      }),
    input: () => ({ shape: [3, 5], data: [1, 4, 7, 2, 11, 0, 3, 3, 9, 5, 10, 8, 6, 1, 2] }),
  },
];

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  for (const c of CASES) {
    const model = c.build();
    const dir = join(OUT, c.name);
    mkdirSync(dir, { recursive: true });
    // tfjs's own serialization, captured in memory and laid out as its file handler writes it.
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const modelJson = {
          modelTopology: artifacts.modelTopology,
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
          weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
        };
        writeFileSync(join(dir, 'model.json'), `${JSON.stringify(modelJson, null, 2)}\n`);
        writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const input = c.input();
    const x = tf.tensor(input.data, input.shape, c.name.startsWith('embedding') ? 'int32' : 'float32');
    const y = model.predict(x) as tf.Tensor;
    const expected = {
      generatedBy: `TensorFlow.js ${tf.version.tfjs}`,
      input,
      output: { shape: y.shape, data: Array.from(await y.data()) },
    };
    writeFileSync(join(dir, 'expected.json'), `${JSON.stringify(expected, null, 1)}\n`);
    console.log(`wrote ${dir}: model.json, weights.bin, expected.json (output ${JSON.stringify(y.shape)})`);
  }
}

await main();
