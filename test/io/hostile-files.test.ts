/**
 * A corpus of hostile and corrupt model files, generated from the fixtures with a fixed seed: truncations at many
 * offsets and bit flips of every `.keras`, `.h5` and `.weights.h5` fixture and of TF.js `model.json`s and their
 * shards, zip bombs and zips lying about sizes and counts, an HDF5 dataset declaring far more than the file holds,
 * JSON nested too deep, and manifests whose shard paths leave the model.json's folder or name URLs.
 *
 * Every case ends in a KerasGruError naming the file, or in a complete model (a flipped bit inside a weight is a
 * valid file); never an untyped error, a hang, a read outside the folder or a fetch. A `loadWeights` that fails
 * must leave the model's weights bit for bit as they were. Cases are tallied with the fuzz harness (test/fuzz).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileFormatError } from '../../src/io/errors.js';
import { readKerasArchive } from '../../src/io/keras-archive.js';
import { MAX_JSON_DEPTH } from '../../src/io/limits.js';
import { loadKerasFile } from '../../src/io/load.js';
import { loadModel } from '../../src/keras/load-model.js';
import { modelFromKerasConfig } from '../../src/keras/model-config.js';
import { Model } from '../../src/models/model.js';
import { newTally, reportTally, runAsyncCase, type Tally } from '../fuzz/harness.js';
import {
  bitFlips,
  deepJson,
  ESCAPING_SHARD_PATHS,
  globalHeapSizeFlips,
  h5DeclaringHugeDataset,
  lyingZipCount,
  lyingZipSize,
  seededRandom,
  truncations,
  withConfig,
  zipBomb,
  type Variant,
} from './hostile-corpus.js';
import { loadModelFixture, MODEL_NAMES, modelFileBytes, type ModelName } from './model-fixtures.js';

const SEED = 20_261_206;

/** `json` (a model.json's text) with its one weights group read from `paths`. */
function withShardPaths(json: string, paths: string[]): string {
  const parsed = JSON.parse(json) as { weightsManifest: { paths: string[] }[] };
  parsed.weightsManifest[0]!.paths = paths;
  return JSON.stringify(parsed);
}
const TFJS_DIR = join(import.meta.dirname, '..', 'fixtures', 'tfjs');
const USER_DIR = join(import.meta.dirname, '..', 'fixtures', 'user-models');
const TFJS_NAMES = ['gru-dense', 'embedding-gru', 'stacked-gru'];

let dir: string;
let written = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keras-gru-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `bytes` to a fresh file in the corpus folder (or `folder` in it) and returns its path. */
function put(name: string, bytes: Uint8Array | string, folder = dir): string {
  written += 1;
  const path = join(folder, `${written}-${name}`);
  writeFileSync(path, bytes);
  return path;
}

/** A fetch that must never be called: it records the call and fails the case. */
function forbiddenFetch(calls: string[]) {
  return (input: string): Promise<Response> => {
    calls.push(input);
    return Promise.reject(new Error(`fetched ${input}`));
  };
}

function weightBits(model: Model): string {
  return model.weights.map((w) => Buffer.from(new Float32Array(w.values).buffer).toString('base64')).join('|');
}

/** loadModel(path): a typed error naming `path` (or a shard beside it), or a complete model that has its weights; nothing fetched. */
async function loadModelCase(t: Tally, label: string, path: string): Promise<void> {
  const calls: string[] = [];
  await runAsyncCase(t, label, path, () => loadModel(path, { fetch: forbiddenFetch(calls) }), {
    names: [path, path.slice(0, path.lastIndexOf('/') + 1)],
    check: (model) => {
      if (calls.length > 0) return `fetched ${calls.join(', ')}`;
      if (!(model instanceof Model) || model.loadedFrom?.file !== path) return 'not a loaded model';
      return model.weights.length > 0 ? null : 'a model without weights';
    },
  });
}

/** model.loadWeights(path) on a fresh model: a failure leaves every weight bit as it was. */
async function loadWeightsCase(t: Tally, label: string, path: string, name: ModelName): Promise<void> {
  const model = modelFromKerasConfig(loadModelFixture(name).config);
  const before = weightBits(model);
  await runAsyncCase(
    t,
    label,
    path,
    async () => {
      try {
        await model.loadWeights(path);
      } catch (error) {
        // An untyped error here is tallied as "other": the load was not atomic.
        if (weightBits(model) !== before) throw new Error(`half-loaded: weights changed by a failed load (${error})`);
        throw error;
      }
      return model;
    },
    { names: [path] },
  );
}

describe('hostile and corrupt model files', () => {
  it('truncations and bit flips of every .keras, .h5 and .weights.h5 fixture', async () => {
    const t = newTally('hostile Keras files');
    const random = seededRandom(SEED);
    for (const name of MODEL_NAMES) {
      for (const suffix of ['.keras', '.h5', '.weights.h5']) {
        const bytes = modelFileBytes(`${name}${suffix}`);
        const variants: Variant[] = [...truncations(bytes, 25, random), ...bitFlips(bytes, 50, random)];
        for (const variant of variants) {
          const path = put(`${name}${suffix}`, variant.bytes);
          const label = `${name}${suffix} ${variant.label}`;
          if (suffix !== '.weights.h5') await loadModelCase(t, `loadModel(${label})`, path);
          if (suffix !== '.h5') await loadWeightsCase(t, `loadWeights(${label})`, path, name);
        }
      }
    }
    for (const file of ['bidirectional_encoder_decoder', 'seq2seq_initial_state']) {
      for (const suffix of ['.keras', '.h5']) {
        const bytes = new Uint8Array(readFileSync(join(USER_DIR, `${file}${suffix}`)));
        for (const variant of [...truncations(bytes, 15, random), ...bitFlips(bytes, 30, random)]) {
          await loadModelCase(
            t,
            `loadModel(${file}${suffix} ${variant.label})`,
            put(`${file}${suffix}`, variant.bytes),
          );
        }
      }
    }
    reportTally(t);
    expect(t.cases).toBeGreaterThan(1_000);
    // The corpus must reach the readers' error paths, not only the signature checks.
    expect(t.typed).toBeGreaterThan(t.cases / 2);
  });

  it('one-bit flips of the sizes in the global heaps of the .h5 and .weights.h5 fixtures (once, HDF5 looped)', async () => {
    const t = newTally('global heap size flips');
    for (const name of MODEL_NAMES) {
      for (const suffix of ['.h5', '.weights.h5']) {
        for (const variant of globalHeapSizeFlips(modelFileBytes(`${name}${suffix}`))) {
          const path = put(`${name}${suffix}`, variant.bytes);
          const label = `${name}${suffix} ${variant.label}`;
          if (suffix === '.h5') await loadModelCase(t, `loadModel(${label})`, path);
          else await loadWeightsCase(t, `loadWeights(${label})`, path, name);
        }
      }
    }
    reportTally(t);
    expect(t.cases).toBeGreaterThan(500);
  });

  it('truncations and bit flips of TF.js model.json files and their shards', async () => {
    const t = newTally('hostile TF.js files');
    const random = seededRandom(SEED + 1);
    for (const name of TFJS_NAMES) {
      const folder = join(dir, `tfjs-${name}`);
      mkdirSync(folder);
      const json = readFileSync(join(TFJS_DIR, name, 'model.json'), 'utf8');
      const shard = new Uint8Array(readFileSync(join(TFJS_DIR, name, 'weights.bin')));
      writeFileSync(join(folder, 'weights.bin'), shard);
      const jsonBytes = new TextEncoder().encode(json);
      for (const variant of [...truncations(jsonBytes, 30, random), ...bitFlips(jsonBytes, 60, random)]) {
        await loadModelCase(
          t,
          `loadModel(${name}/model.json ${variant.label})`,
          put('model.json', variant.bytes, folder),
        );
      }
      for (const variant of [...truncations(shard, 15, random), ...bitFlips(shard, 15, random)]) {
        const shardPath = put('weights.bin', variant.bytes, folder);
        const manifest = withShardPaths(json, [shardPath.slice(folder.length + 1)]);
        await loadModelCase(t, `loadModel(${name} weights.bin ${variant.label})`, put('model.json', manifest, folder));
      }
    }
    reportTally(t);
    expect(t.cases).toBeGreaterThan(300);
  });

  it('shard paths outside the model.json folder or naming URLs are refused, with no read and no fetch', async () => {
    const t = newTally('escaping shard paths');
    for (const name of TFJS_NAMES) {
      const json = readFileSync(join(TFJS_DIR, name, 'model.json'), 'utf8');
      const shard = readFileSync(join(TFJS_DIR, name, 'weights.bin'));
      // The real shard, where an escaping path would find it: a read outside the folder would load a model.
      const folder = join(dir, `escape-${name}`, 'sub');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, '..', 'secret.bin'), shard);
      for (const escaping of ESCAPING_SHARD_PATHS) {
        const manifest = withShardPaths(json, [escaping]);
        await loadModelCase(
          t,
          `loadModel(path, shard ${JSON.stringify(escaping)})`,
          put('model.json', manifest, folder),
        );
        // From a URL: only the model.json itself may be fetched.
        const url = 'https://models.example/app/model.json';
        const fetched: string[] = [];
        const fetch = (input: string): Promise<Response> => {
          fetched.push(input);
          if (input === url) return Promise.resolve(new Response(manifest));
          return Promise.resolve(new Response(new Uint8Array(shard)));
        };
        await runAsyncCase(
          t,
          `loadModel(url, shard ${JSON.stringify(escaping)})`,
          url,
          () => loadModel(url, { fetch }),
          {
            names: [url],
            check: () => 'loaded a model through an escaping shard path',
          },
        );
        if (fetched.some((u) => u !== url)) t.failures.push(`fetched ${fetched.join(', ')} for ${escaping}`);
      }
    }
    reportTally(t);
    expect(t.cases).toBe(TFJS_NAMES.length * ESCAPING_SHARD_PATHS.length * 2);
    expect(t.typed).toBe(t.cases);
  });

  it('bombs and lies: refused by the limits before allocation, naming the file', async () => {
    const keras = modelFileBytes('forecaster.keras');
    const refuse = async (
      bytes: Uint8Array,
      pattern: RegExp,
      load: (path: string) => Promise<unknown> = loadModel,
    ): Promise<void> => {
      const path = put('hostile.keras', bytes);
      const rssBefore = process.memoryUsage().rss;
      const error = await load(path).then(
        () => new Error('loaded'),
        (e: unknown) => e as Error,
      );
      expect(error, String(error)).toBeInstanceOf(FileFormatError);
      expect(error.message).toContain(path);
      expect(error.message).toMatch(pattern);
      // Refused before allocating what the file asks for (hundreds of MB to GB): no such growth.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(48 * 1024 * 1024);
    };
    // 80 MiB of zeros in an ~80 kB file: beyond 200 times the file and the 64 MiB floor.
    await refuse(zipBomb(keras, 80 * 1024 * 1024), /zip bomb/);
    await refuse(lyingZipSize(keras, 'model.weights.h5', 0xffff_fff0), /more than DEFLATE can expand to/);
    await refuse(lyingZipSize(keras, 'config.json', 1_000_000_000), /more than DEFLATE can expand to/);
    await refuse(lyingZipCount(keras, 65_535), /lists more members than/);
    await refuse(withConfig(keras, deepJson(100_000)), new RegExp(`nested deeper than ${MAX_JSON_DEPTH}`));
    const huge = await h5DeclaringHugeDataset(1_000_000_000);
    await refuse(huge, /declares 4000000000 bytes \(shape \[1000000000\]\)/, (path) =>
      loadKerasFile(path, { config: loadModelFixture('forecaster').config }),
    );
    const model = modelFromKerasConfig(loadModelFixture('forecaster').config);
    const before = weightBits(model);
    await refuse(huge, /declares 4000000000 bytes/, async (path) => model.loadWeights(path));
    expect(weightBits(model)).toBe(before);
    await refuse(new TextEncoder().encode(deepJson(5_000)), /nested deeper than/);
  });

  it('the limits leave real files alone: JSON at the depth limit parses, an honest DEFLATE archive reads', async () => {
    const keras = modelFileBytes('forecaster.keras');
    const deflated = lyingZipSize(keras, 'no-such-member', 0);
    expect((await readKerasArchive(deflated)).members).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    const atLimit = withConfig(keras, deepJson(MAX_JSON_DEPTH - 1));
    const error = await readKerasArchive(atLimit).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeUndefined();
    const model = await loadModel(put('honest.keras', deflated));
    expect(model).toBeInstanceOf(Model);
  });
});
