/**
 * Legacy full-model `.h5` files (Keras 2 / tf.keras `model.save('m.h5')`, and Keras 3's `legacy` HDF5 format),
 * and the legacy weights-only `.h5` (`model.save_weights('w.h5')` in Keras 2).
 *
 *     /@model_config, @keras_version, @backend, [@training_config]     (JSON text, version strings)
 *     /model_weights/@layer_names                                      (layers, in the model's order)
 *     /model_weights/<layer>/@weight_names                             (variable names, in get_weights() order)
 *     /model_weights/<layer>/<weight name, '/' making subgroups>       (the datasets)
 *
 * Weight names differ by era: `gru_1/kernel:0` (Keras 2 on TF 1.x), `gru/gru_cell/kernel:0` (tf.keras 2.x),
 * `forecaster/gru_29/gru_cell/kernel` (Keras 3). A weights-only file has the `model_weights` content at its
 * root. Keras splits an attribute too large for an HDF5 header into `weight_names0`, `weight_names1`, ...
 * Strings may be variable-length (Keras 3) or fixed-length bytes (Keras 2): the tree reader reads both.
 */
import { FileFormatError } from './errors.js';
import { readH5, type ReadOptions } from './h5-read.js';
import { attributeString, attributeStrings, getDataset, type H5Attribute, type H5Group } from './h5-tree.js';
import { toFloat32, type LayerWeights } from './layer-weights.js';
import { isRecord, layerEntry, parseJsonObject, type FileContext } from './model-config.js';

export interface LegacyH5File {
  /** `model_config` parsed (`{ class_name, config }`); undefined for a weights-only file. */
  config: Record<string, unknown> | undefined;
  /** `keras_version` (e.g. `2.4.0`, `3.15.1`), if recorded. */
  kerasVersion: string | undefined;
  /** `backend` (e.g. `tensorflow`), if recorded. */
  backend: string | undefined;
  /** `training_config` parsed, if the model was compiled when saved. */
  trainingConfig: Record<string, unknown> | undefined;
  /**
   * The layers listed in `layer_names`, in that order (Keras's loading order), each with its weights in
   * `weight_names` order. Names lose TF's `:0` suffix and a leading `<model name>/`.
   */
  layers: LayerWeights[];
}

/** Reads an attribute that Keras may have split into `name0`, `name1`, ... (`save_attributes_to_hdf5_group`). */
export function chunkedStrings(attrs: Record<string, H5Attribute>, name: string): string[] | undefined {
  const whole = attributeStrings(attrs[name]);
  if (whole !== undefined) return whole;
  if (attrs[`${name}0`] === undefined) return undefined;
  const result: string[] = [];
  for (let i = 0; attrs[`${name}${i}`] !== undefined; i++)
    result.push(...(attributeStrings(attrs[`${name}${i}`]) ?? []));
  return result;
}

function parseJsonAttribute(tree: H5Group, name: string, where: FileContext): Record<string, unknown> | undefined {
  const attribute = tree.attrs[name];
  if (attribute === undefined) return undefined;
  const text = attributeString(attribute);
  if (text === undefined) throw new FileFormatError('not a string attribute', { ...where, path: `/@${name}` });
  return parseJsonObject(text, { ...where, path: `/@${name}` });
}

/** The class name of each layer of a (Keras 2 or 3) model config, by layer name. */
function classNamesByLayer(config: Record<string, unknown> | undefined): Map<string, string> {
  const result = new Map<string, string>();
  const inner = config?.config;
  const list = Array.isArray(inner) ? inner : isRecord(inner) && Array.isArray(inner.layers) ? inner.layers : [];
  for (const item of list) {
    const entry = layerEntry(item);
    if (entry !== undefined) result.set(entry.name, entry.className);
  }
  return result;
}

function modelName(config: Record<string, unknown> | undefined): string | undefined {
  const inner = config?.config;
  return isRecord(inner) && typeof inner.name === 'string' ? inner.name : undefined;
}

/** The weights of every layer of a legacy tree (full model or weights-only). */
export function legacyWeightsByLayer(
  tree: H5Group,
  where: FileContext = { file: '<bytes>' },
  config?: Record<string, unknown>,
): LayerWeights[] {
  const [group, groupPath] =
    chunkedStrings(tree.attrs, 'layer_names') !== undefined
      ? [tree, '']
      : [tree.groups.model_weights, '/model_weights'];
  if (group === undefined) {
    throw new FileFormatError('neither a model_weights group nor a layer_names attribute: not a Keras .h5 file', {
      ...where,
      path: '/',
    });
  }
  const layerNames = chunkedStrings(group.attrs, 'layer_names');
  if (layerNames === undefined)
    throw new FileFormatError('no layer_names attribute', { ...where, path: `${groupPath || '/'}` });
  const classNames = classNamesByLayer(config);
  const prefix = modelName(config);
  return layerNames.map((layerName) => {
    const layerPath = `${groupPath}/${layerName}`;
    const layerGroup = group.groups[layerName];
    if (layerGroup === undefined)
      throw new FileFormatError(`layer_names lists '${layerName}', which has no group`, { ...where, path: layerPath });
    const weightNames = chunkedStrings(layerGroup.attrs, 'weight_names');
    if (weightNames === undefined)
      throw new FileFormatError('no weight_names attribute', { ...where, path: layerPath });
    const weights = weightNames.map((weightName) => {
      const dataset = getDataset(layerGroup, weightName);
      if (dataset === undefined)
        throw new FileFormatError('weight_names lists a dataset that does not exist', {
          ...where,
          path: `${layerPath}/${weightName}`,
        });
      let name = weightName.replace(/:\d+$/, '');
      if (prefix !== undefined && name.startsWith(`${prefix}/`)) name = name.slice(prefix.length + 1);
      return { name, shape: [...dataset.shape], data: toFloat32(dataset.data) };
    });
    return { layerName, className: classNames.get(layerName) ?? '', weights };
  });
}

/** A legacy `.h5` file's configs and layer weights from its tree. */
export function legacyH5FromTree(tree: H5Group, where: FileContext = { file: '<bytes>' }): LegacyH5File {
  const config = parseJsonAttribute(tree, 'model_config', where);
  return {
    config,
    kerasVersion: attributeString(tree.attrs.keras_version ?? tree.groups.model_weights?.attrs.keras_version),
    backend: attributeString(tree.attrs.backend ?? tree.groups.model_weights?.attrs.backend),
    trainingConfig: parseJsonAttribute(tree, 'training_config', where),
    layers: legacyWeightsByLayer(tree, where, config),
  };
}

/** Whether an HDF5 tree is laid out as a legacy Keras file (full model or weights-only). */
export function isLegacyH5Tree(tree: H5Group): boolean {
  return (
    tree.attrs.model_config !== undefined ||
    tree.groups.model_weights !== undefined ||
    chunkedStrings(tree.attrs, 'layer_names') !== undefined
  );
}

/** Reads a legacy `.h5` file's bytes: its configs and the weights of every layer. */
export async function readLegacyH5(bytes: Uint8Array | ArrayBuffer, options: ReadOptions = {}): Promise<LegacyH5File> {
  const where = { file: options.file ?? '<bytes>' };
  return legacyH5FromTree(await readH5(bytes, where), where);
}
