/**
 * Writes a legacy full-model `.h5` as Keras 3's `model.save('m.h5')` does (see legacy-h5.ts for the layout):
 * the config and versions as root attributes, and under `model_weights` one group per layer with its
 * `weight_names` and a dataset at each weight's path. Keras and keras-gru read it back by layer order.
 */
import { writeH5 } from './h5-write.js';
import {
  h5Dataset,
  h5Group,
  numericAttribute,
  setDataset,
  stringAttribute,
  type H5Attribute,
  type H5Group,
} from './h5-tree.js';
import { KERAS_FORMAT_VERSION } from './keras-archive.js';
import { validateLayerWeights, type LayerWeights } from './layer-weights.js';
import { legacyOptimizerGroup, type SavedOptimizerVariable } from './optimizer-vars.js';
import { pythonJsonDumps } from './python-json.js';

export interface WriteLegacyH5Options {
  /** The Keras model config (`{ class_name, config }`), stored as `@model_config`. */
  config: Record<string, unknown>;
  /** Every layer, in the model's order, each with its weights named by their full paths (`gru/gru_cell/kernel`). */
  layers: readonly LayerWeights[];
  /** Stored as `@training_config` when given (a compiled model). */
  trainingConfig?: Record<string, unknown>;
  /** A compiled model's optimizer variables, each named `<optimizer>/<variable>`: the `optimizer_weights` group. */
  optimizerWeights?: readonly (SavedOptimizerVariable & { name: string })[];
  kerasVersion?: string;
}

/** A list of names as Keras stores it: an empty list is an empty float64 array (numpy's `np.array([])`). */
function namesAttribute(names: readonly string[]): H5Attribute {
  return names.length === 0 ? numericAttribute(new Float64Array(0), [0]) : stringAttribute(names, { charset: 'ascii' });
}

export function legacyH5Tree(options: WriteLegacyH5Options): H5Group {
  validateLayerWeights(options.layers, 'writeLegacyH5');
  const version = options.kerasVersion ?? KERAS_FORMAT_VERSION;
  const root = h5Group({
    attrs: {
      backend: stringAttribute('tensorflow'),
      keras_version: stringAttribute(version),
      model_config: stringAttribute(pythonJsonDumps(options.config), { charset: 'ascii' }),
      ...(options.trainingConfig !== undefined
        ? { training_config: stringAttribute(pythonJsonDumps(options.trainingConfig), { charset: 'ascii' }) }
        : {}),
    },
  });
  const weights = h5Group({
    attrs: {
      backend: stringAttribute('tensorflow', { charset: 'ascii' }),
      keras_version: stringAttribute(version, { charset: 'ascii' }),
      layer_names: namesAttribute(options.layers.map((layer) => layer.layerName)),
    },
  });
  root.groups.model_weights = weights;
  for (const layer of options.layers) {
    const group = h5Group({ attrs: { weight_names: namesAttribute(layer.weights.map((w) => w.name)) } });
    weights.groups[layer.layerName] = group;
    for (const weight of layer.weights)
      setDataset(group, weight.name, h5Dataset(Float32Array.from(weight.data), weight.shape));
  }
  weights.groups.top_level_model_weights = h5Group({ attrs: { weight_names: namesAttribute([]) } });
  if (options.optimizerWeights !== undefined)
    root.groups.optimizer_weights = legacyOptimizerGroup(options.optimizerWeights);
  return root;
}

/** The bytes of a legacy `.h5` model file. */
export async function writeLegacyH5(options: WriteLegacyH5Options): Promise<Uint8Array> {
  return writeH5(legacyH5Tree(options));
}
