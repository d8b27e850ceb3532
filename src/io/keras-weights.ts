/**
 * Keras 3 weights files (`.weights.h5`, and `model.weights.h5` inside `.keras`): per-layer weights out of the
 * HDF5 tree, given the model config, and the tree back from per-layer weights. The layout is in keras-layout.ts.
 */
import { InvalidArgumentError } from '../errors.js';
import { WeightsMismatchError } from './errors.js';
import { readH5, type ReadOptions } from './h5-read.js';
import { attributeString, h5Dataset, h5Group, stringAttribute, type H5Dataset, type H5Group } from './h5-tree.js';
import { writeH5 } from './h5-write.js';
import { modelLayouts, variableCount, type SaveableLayout } from './keras-layout.js';
import { toFloat32, validateLayerWeights, type LayerWeights, type WeightValue } from './layer-weights.js';
import type { FileContext } from './model-config.js';
import { kerasOptimizerGroup, type SavedOptimizerVariable } from './optimizer-vars.js';

/**
 * For each layer of `modelConfig` (a Keras model config, snake_case: `config.json`'s content), in config order,
 * its weights from a Keras 3 weights tree, in `get_weights()` order. Layers without weights (InputLayer, Masking,
 * functional ops) get an empty list. Layer groups are found by their `vars@name` attribute when the file has
 * it, else by Keras's naming (`layers/gru`, `layers/gru_1`, ...).
 */
export function kerasWeightsByLayer(
  tree: H5Group,
  modelConfig: unknown,
  where: FileContext = { file: '<bytes>' },
): LayerWeights[] {
  const model = modelLayouts(modelConfig, where);
  const container = tree.groups.layers;
  const keyByName = new Map<string, string>();
  for (const [key, group] of Object.entries(container?.groups ?? {})) {
    const name = attributeString(group.groups.vars?.attrs.name);
    if (name !== undefined) keyByName.set(name, key);
  }
  return model.layers.map((entry) => {
    const slot = model.containers.find((candidate) => candidate.layerName === entry.name);
    if (slot === undefined) return { layerName: entry.name, className: entry.className, weights: [] };
    const key = keyByName.get(entry.name) ?? slot.key;
    const weights = readSaveable(container?.groups[key], slot.layout, [], `/layers/${key}`, where, entry.name);
    return { layerName: entry.name, className: entry.className, weights };
  });
}

/** Reads a Keras 3 `.weights.h5` file's bytes: `kerasWeightsByLayer(readH5(bytes), modelConfig)`. */
export async function readKerasWeights(
  bytes: Uint8Array | ArrayBuffer,
  modelConfig: unknown,
  options: ReadOptions = {},
): Promise<LayerWeights[]> {
  const file = options.file ?? '<bytes>';
  return kerasWeightsByLayer(await readH5(bytes, { file }), modelConfig, { file });
}

function numericKeys(vars: H5Group | undefined, path: string, where: FileContext, layer: string): H5Dataset[] {
  if (vars === undefined) return [];
  const keys = Object.keys(vars.datasets);
  for (const key of keys) {
    if (!/^(0|[1-9][0-9]*)$/.test(key))
      throw new WeightsMismatchError(`a variable named '${key}' (expected 0, 1, 2, ...)`, {
        ...where,
        path,
        layer,
        weight: key,
      });
  }
  const sorted = keys.map(Number).sort((a, b) => a - b);
  sorted.forEach((key, i) => {
    if (key !== i)
      throw new WeightsMismatchError(`variables are not numbered 0..${keys.length - 1}: missing ${i}`, {
        ...where,
        path,
        layer,
        weight: String(i),
      });
  });
  return sorted.map((key) => vars.datasets[String(key)]!);
}

function readSaveable(
  group: H5Group | undefined,
  layout: SaveableLayout,
  prefix: string[],
  path: string,
  where: FileContext,
  layer: string,
): WeightValue[] {
  if (group === undefined) {
    // A layer of an unknown class without a group is taken to have no weights; a known one must have its group.
    if ((variableCount(layout) ?? 0) === 0) return [];
    throw new WeightsMismatchError(`no group for '${layout.name}'`, { ...where, path, layer });
  }
  const vars = group.groups.vars;
  const names = [...prefix, attributeString(vars?.attrs.name) ?? layout.name];
  const own = numericKeys(vars, `${path}/vars`, where, layer);
  if (layout.variables !== null && own.length !== layout.variables.length) {
    const expected =
      layout.variables.length === 0 ? 'none' : `${layout.variables.length} (${layout.variables.join(', ')})`;
    const missing = layout.variables[own.length];
    throw new WeightsMismatchError(`'${layout.name}' has ${own.length} variables, expected ${expected}`, {
      ...where,
      path: `${path}/vars`,
      layer,
      ...(missing !== undefined ? { weight: `${layout.name}/${missing}` } : {}),
    });
  }
  const weights: WeightValue[] = own.map((dataset, i) => ({
    name: [...names, layout.variables?.[i] ?? String(i)].join('/'),
    shape: [...dataset.shape],
    data: toFloat32(dataset.data),
  }));
  const children =
    layout.children ??
    Object.keys(group.groups)
      .filter((key) => key !== 'vars' && !key.startsWith('seed_generator'))
      .sort()
      .map((key) => ({ key, layout: { name: key, variables: null, children: null } as SaveableLayout }));
  for (const child of children) {
    weights.push(...readSaveable(group.groups[child.key], child.layout, names, `${path}/${child.key}`, where, layer));
  }
  for (const slot of layout.layers ?? []) {
    weights.push(
      ...readSaveable(
        group.groups.layers?.groups[slot.key],
        slot.layout,
        names,
        `${path}/layers/${slot.key}`,
        where,
        layer,
      ),
    );
  }
  return weights;
}

/** A compiled model's optimizer variables, in Keras's `optimizer.variables` order (see optimizer-vars.ts). */
export interface OptimizerVariables {
  name: string;
  variables: readonly SavedOptimizerVariable[];
}

/**
 * The Keras 3 weights tree of a model: `layers` gives each layer's weights (matched to the config by
 * `layerName`, in `get_weights()` order); layers of the config left out have no weights. With `optimizer`,
 * the tree also holds `optimizer/vars`, as Keras saves a compiled model.
 */
export function kerasWeightsTree(
  modelConfig: unknown,
  layers: readonly LayerWeights[],
  optimizer?: OptimizerVariables,
): H5Group {
  const context = 'kerasWeightsTree';
  validateLayerWeights(layers, context);
  const model = modelLayouts(modelConfig, { file: '<config>' });
  const byName = new Map(layers.map((layer) => [layer.layerName, layer]));
  for (const layer of layers) {
    if (!model.containers.some((slot) => slot.layerName === layer.layerName) && layer.weights.length > 0) {
      throw new InvalidArgumentError({
        argument: 'layers',
        expected: `layers of model '${model.name}'`,
        received: layer.layerName,
        context,
      });
    }
  }
  const container = h5Group();
  for (const slot of model.containers) {
    const weights = byName.get(slot.layerName)?.weights ?? [];
    const cursor = { next: 0 };
    container.groups[slot.key] = writeSaveable(slot.layout, weights, cursor, slot.layerName);
    if (cursor.next !== weights.length) {
      throw new InvalidArgumentError({
        argument: `weights of '${slot.layerName}'`,
        expected: `${cursor.next} arrays`,
        received: `${weights.length} arrays`,
        context,
      });
    }
  }
  return h5Group({
    groups: {
      layers: container,
      ...(optimizer !== undefined ? { optimizer: kerasOptimizerGroup(optimizer) } : {}),
      vars: h5Group({ attrs: { name: stringAttribute(model.name) } }),
    },
  });
}

function writeSaveable(
  layout: SaveableLayout,
  weights: readonly WeightValue[],
  cursor: { next: number },
  layerName: string,
): H5Group {
  const count = layout.variables === null ? weights.length - cursor.next : layout.variables.length;
  if (cursor.next + count > weights.length) {
    throw new InvalidArgumentError({
      argument: `weights of '${layerName}'`,
      expected: `at least ${cursor.next + count} arrays`,
      received: `${weights.length} arrays`,
      context: 'kerasWeightsTree',
    });
  }
  const vars = h5Group({ attrs: { name: stringAttribute(layout.name) } });
  for (let i = 0; i < count; i++) {
    const weight = weights[cursor.next++]!;
    vars.datasets[String(i)] = h5Dataset(weight.data, weight.shape);
  }
  const group = h5Group({ groups: { vars } });
  for (const child of layout.children ?? [])
    group.groups[child.key] = writeSaveable(child.layout, weights, cursor, layerName);
  if (layout.layers !== undefined) {
    const container = h5Group();
    for (const slot of layout.layers)
      container.groups[slot.key] = writeSaveable(slot.layout, weights, cursor, layerName);
    group.groups.layers = container;
  }
  return group;
}

/** A Keras 3 `.weights.h5` file's bytes: `writeH5(kerasWeightsTree(modelConfig, layers))`. */
export async function writeKerasWeights(
  modelConfig: unknown,
  layers: readonly LayerWeights[],
  optimizer?: OptimizerVariables,
): Promise<Uint8Array> {
  return writeH5(kerasWeightsTree(modelConfig, layers, optimizer));
}
