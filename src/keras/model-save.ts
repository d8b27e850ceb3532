/**
 * `model.save('m.keras')` / `model.toBytes()`: the `.keras` archive of a model — its config, its weights and,
 * when compiled, its optimizer's state (`optimizer/vars`, so that training resumes where it stopped, in
 * keras-gru or in Keras).
 */
import { writeKerasArchive } from '../io/keras-archive.js';
import type { Model } from '../models/model.js';
import type { SaveOptions } from '../models/model-services.js';
import { checkSuffix, modelLayerWeights, writeFile } from './model-files.js';
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

export async function saveModel(model: Model, path: string | URL, options: SaveOptions = {}): Promise<void> {
  checkSuffix(path, '.keras', 'a Keras 3 model file', `${model.className} '${model.name}'.save`);
  await writeFile(path, await modelToBytes(model), options);
}
