/**
 * A model as the other files Keras users meet: a legacy full-model `.h5` (Keras 3's `model.save('m.h5')`) and a
 * TF.js layers model (`model.json` + shards). Both name weights by their full paths (weight-paths.ts).
 */
import { writeLegacyH5 } from '../io/legacy-h5-write.js';
import { tfjsWeightName, writeTfjsModel } from '../io/tfjs.js';
import type { Model } from '../models/model.js';
import type { TfjsFiles } from '../models/model-services.js';
import { serializeModel } from './model-serialization.js';
import { tfjsModelConfig } from './tfjs-config.js';
import { optimizerStateToSave } from './optimizer-state.js';
import { trainingConfigFromCompileConfig } from './training-config.js';
import { modelLayerWeightsWithPaths } from './weight-paths.js';

/**
 * The bytes of the model as a legacy `.h5` file: config, weights and, when compiled, `training_config` and the
 * optimizer's state (`optimizer_weights`), as Keras 3's `model.save('m.h5')` writes them.
 */
export async function modelToLegacyH5(model: Model): Promise<Uint8Array> {
  const {
    class_name: className,
    config,
    compile_config: compileConfig,
  } = serializeModel(model) as unknown as Record<string, unknown>;
  const compiled = compileConfig !== null && typeof compileConfig === 'object' && Object.keys(compileConfig).length > 0;
  const optimizer = optimizerStateToSave(model);
  return writeLegacyH5({
    config: { class_name: className, config },
    layers: modelLayerWeightsWithPaths(model),
    ...(compiled ? { trainingConfig: trainingConfigFromCompileConfig(compileConfig as Record<string, unknown>) } : {}),
    ...(optimizer !== undefined ? { optimizerWeights: optimizer.variables } : {}),
  });
}

/**
 * What the exported `model.json` says of its dialect: tfjs-layers' (Keras 2's), which is how keras-gru reads it back
 * (`kerasSemantics`).
 */
const TFJS_KERAS_VERSION = 'tfjs-layers 4 (written by keras-gru)';

/**
 * The model as a TF.js layers model that `tf.loadLayersModel` loads: `model.json`'s object and its shard files.
 * A model tfjs would run differently is a `TfjsExportError` (tfjs-config.ts).
 */
export function modelToTfjs(model: Model): TfjsFiles {
  const layers = modelLayerWeightsWithPaths(model)
    .filter((layer) => layer.weights.length > 0)
    .map((layer) => ({ ...layer, weights: layer.weights.map((w) => ({ ...w, name: tfjsWeightName(w.name) })) }));
  const modelJson = writeTfjsModel({
    config: tfjsModelConfig(serializeModel(model) as unknown as Record<string, unknown>),
    layers,
    kerasVersion: TFJS_KERAS_VERSION,
  });
  return modelJson;
}
