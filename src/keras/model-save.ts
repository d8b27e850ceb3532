/**
 * `model.save(path)`, by the path's ending as Keras's `model.save` decides: `.keras` (the Keras 3 archive — its
 * config, its weights and, when compiled, its optimizer's state in `optimizer/vars`, so that training resumes
 * where it stopped, in keras-gru or in Keras), legacy `.h5` (Keras 3's `model.save('m.h5')`), or a TF.js
 * `model.json` with its shard files beside it (what `tf.loadLayersModel` reads). `model.toBytes()` gives the
 * `.keras` archive's bytes.
 */
import { InvalidArgumentError } from '../errors.js';
import { writeKerasArchive } from '../io/keras-archive.js';
import type { Model } from '../models/model.js';
import type { SaveOptions, TfjsFiles } from '../models/model-services.js';
import { modelLayerWeights, writeFile } from './model-files.js';
import { modelToLegacyH5, modelToTfjs } from './model-exports.js';
import { serializeModel } from './model-serialization.js';
import { optimizerStateToSave } from './optimizer-state.js';

/** The bytes of the model's `.keras` file. */
export async function modelToBytes(model: Model): Promise<Uint8Array> {
  const optimizer = optimizerStateToSave(model);
  return writeKerasArchive({
    config: serializeModel(model) as unknown as Record<string, unknown>,
    layers: modelLayerWeights(model),
    ...(optimizer !== undefined ? { optimizer } : {}),
  });
}

type SaveFormat = 'keras' | 'legacy-h5' | 'tfjs';

function saveFormat(path: string | URL, context: string): SaveFormat {
  const text = typeof path === 'string' ? path : path.pathname;
  if (typeof text === 'string' && !text.endsWith('.weights.h5')) {
    if (text.endsWith('.keras')) return 'keras';
    if (text.endsWith('.h5')) return 'legacy-h5';
    if (text.endsWith('.json')) return 'tfjs';
  }
  throw new InvalidArgumentError({
    argument: 'path',
    expected:
      'a path ending in .keras (Keras 3), .h5 (legacy Keras) or .json (a TF.js model.json); weights alone: saveWeights(…weights.h5)',
    received: path,
    context,
  });
}

/** The file `name` in the folder of `modelJson` (a path or a `file:` URL). */
function beside(modelJson: string | URL, name: string): string | URL {
  if (typeof modelJson !== 'string') return new URL(name, modelJson);
  const slash = Math.max(modelJson.lastIndexOf('/'), modelJson.lastIndexOf('\\'));
  return slash < 0 ? name : `${modelJson.slice(0, slash + 1)}${name}`;
}

/**
 * Writes TF.js files at `path` (the model.json) and beside it, and returns the shard files' paths. The shards
 * go first, so a model.json never names a shard that is not there.
 */
export async function saveTfjsFiles(
  files: TfjsFiles,
  path: string | URL,
  options: SaveOptions = {},
): Promise<(string | URL)[]> {
  const shardPaths = files.shards.map((shard) => beside(path, shard.path));
  for (const [i, shard] of files.shards.entries()) await writeFile(shardPaths[i]!, shard.data, options);
  await writeFile(path, new TextEncoder().encode(`${JSON.stringify(files.modelJson)}\n`), options);
  return shardPaths;
}

export async function saveModel(model: Model, path: string | URL, options: SaveOptions = {}): Promise<void> {
  const format = saveFormat(path, `${model.className} '${model.name}'.save`);
  if (format === 'keras') return writeFile(path, await modelToBytes(model), options);
  if (format === 'legacy-h5') return writeFile(path, await modelToLegacyH5(model), options);
  // Everything is made (and a model tfjs cannot run refused) before any file is written.
  await saveTfjsFiles(modelToTfjs(model), path, options);
}
