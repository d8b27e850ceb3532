/**
 * Concurrency: loads running in parallel, predictions interleaved from async tasks while calls are split between
 * worker threads, `setThreads` changed while a `fit` is under way, and a process that used threads exiting
 * promptly once its work is done. Each gives the bits a lone, sequential run gives.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectedBackend, setBackend } from '../../src/backend/registry.js';
import { requestedThreads } from '../../src/backend/thread-count.js';
import { getThreads, setThreads } from '../../src/backend/threads.js';
import { splitTuning } from '../../src/backend/wasm/split.js';
import { loadModel } from '../../src/keras/load-model.js';
import type { Model } from '../../src/models/model.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { modelFilePath } from '../io/model-fixtures.js';

const TFJS = join(import.meta.dirname, '..', 'fixtures', 'tfjs');
const FILES = [
  modelFilePath('forecaster.keras'),
  modelFilePath('tagger.keras'),
  modelFilePath('text_classifier.keras'),
  modelFilePath('forecaster.h5'),
  modelFilePath('tagger.h5'),
  join(TFJS, 'gru-dense', 'model.json'),
  join(TFJS, 'stacked-gru', 'model.json'),
  modelFilePath('forecaster.keras'),
];

const bits = (t: Tensor): string => Buffer.from(Float32Array.from(t.dataSync()).buffer).toString('hex');
const weightBits = (m: Model): string => m.getWeights().map(bits).join('|');

/** An input for `model` of batch `batch`: small integer ids for a model with an embedding, a sine wave otherwise. */
function inputFor(model: Model, batch: number, offset = 0): Tensor {
  const symbolic = model.className === 'Sequential' ? undefined : [model.inputs].flat()[0];
  const declared = (symbolic?.shape ?? model.inputShape) as (number | null)[];
  const shape = declared.map((d, i) => (i === 0 ? batch : (d ?? 5)));
  const size = shape.reduce((a, b) => a * b, 1);
  const ids = model.layers.some((layer) => layer.className === 'Embedding');
  return tensor(
    Array.from({ length: size }, (_, i) => (ids ? (i + offset) % 3 : Math.sin(0.3 * (i + offset)))),
    shape,
  );
}

const previous = { backend: '', threads: 1, minFlops: 0 };
beforeAll(async () => {
  previous.backend = selectedBackend().name;
  previous.threads = requestedThreads();
  previous.minFlops = splitTuning.minFlopsPerThread;
  setBackend('wasm');
  splitTuning.minFlopsPerThread = 0; // split even small calls, so threads are really in use
  await setThreads(2);
});
afterAll(async () => {
  setBackend(previous.backend);
  splitTuning.minFlopsPerThread = previous.minFlops;
  await setThreads(previous.threads);
});

describe('concurrency', () => {
  it('parallel loadModel calls give the models sequential loads give, weight for weight', async () => {
    const parallel = await Promise.all(FILES.map((file) => loadModel(file)));
    for (const [i, file] of FILES.entries()) {
      const alone = await loadModel(file);
      expect(weightBits(parallel[i]!), file).toBe(weightBits(alone));
      expect(parallel[i]!.loadedFrom?.file).toBe(file);
      const x = inputFor(alone, 3);
      expect(bits(parallel[i]!.predict(x) as Tensor)).toBe(bits(alone.predict(x) as Tensor));
    }
  });

  it('predict calls interleaved from 6 async tasks on 2 threads give the bits of one call at a time', async () => {
    expect(getThreads()).toBe(2);
    const models = await Promise.all(FILES.slice(0, 6).map((file) => loadModel(file)));
    const inputs = models.map((m, i) => [0, 1, 2, 3].map((k) => inputFor(m, 5, 7 * i + k)));
    const expected = models.map((m, i) => inputs[i]!.map((x) => bits(m.predict(x) as Tensor)));
    const got = await Promise.all(
      models.map(async (m, i) => {
        const out: string[] = [];
        for (const x of inputs[i]!) {
          await new Promise((resolve) => setImmediate(resolve)); // let the other tasks in between
          out.push(bits(m.predict(x) as Tensor));
        }
        return out;
      }),
    );
    expect(got).toEqual(expected);
  });

  it('setThreads changed while fit runs (between its batches, unawaited) changes no bit of the trajectory', async () => {
    const fitOnce = async (flip: boolean) => {
      await setThreads(2);
      const model = await loadModel(FILES[0]!, { compile: false });
      model.compile({ optimizer: 'adam', loss: 'mse' });
      const x = inputFor(model, 16);
      const y = model.predict(x) as Tensor;
      let flips = 0;
      const timer = flip
        ? setInterval(() => {
            flips += 1;
            void setThreads(flips % 2 === 0 ? 2 : 1);
          }, 0)
        : undefined;
      const history = await model.fit(
        x,
        tensor(
          Array.from(y.dataSync(), (v) => 0.5 * v),
          y.shape,
        ),
        { epochs: 40, batchSize: 2, seed: 3, verbose: 0 },
      );
      if (timer !== undefined) clearInterval(timer);
      return { losses: history.history.loss!, weights: weightBits(model), flips };
    };
    const steady = await fitOnce(false);
    const flipped = await fitOnce(true);
    expect(flipped.flips).toBeGreaterThanOrEqual(2);
    expect(flipped.losses).toEqual(steady.losses);
    expect(flipped.weights).toBe(steady.weights);
  });

  it('a predict issued while setThreads(2) is still starting workers gives the same bits', async () => {
    const model = await loadModel(FILES[1]!);
    const x = inputFor(model, 6);
    await setThreads(1);
    const expected = bits(model.predict(x) as Tensor);
    const starting = setThreads(2);
    const during = bits(model.predict(x) as Tensor);
    await starting;
    expect(during).toBe(expected);
    expect(bits(model.predict(x) as Tensor)).toBe(expected);
  });

  it('a process that loaded, predicted and fitted on 2 threads exits within 3 s of finishing its work', () => {
    const script = fileURLToPath(new URL('./fixtures/threads-exit-model.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, FILES[0]!], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const exitedAt = Date.now();
    expect(result.status, result.stderr).toBe(0);
    const match = /threads (\d+), done at (\d+)/.exec(result.stdout);
    expect(match, result.stdout).not.toBeNull();
    expect(Number(match![1])).toBe(2);
    expect(exitedAt - Number(match![2])).toBeLessThan(3_000);
  }, 90_000);
});
