/**
 * A model's weights and files: the weights of each layer in Keras's order (what the writers take), assigning
 * weights read from a file with every count and shape checked first, and `saveWeights` / `loadWeights`
 * (`save` / `toBytes` are in model-save.ts). Node's file system is loaded only when a path is written, so browsers can use the rest.
 *
 * Keras's order: a Sequential's layers in turn; a functional model's layers as its config lists them
 * (`kerasGraphOrder`); a nested model's weights are those of its layers in that order, flattened.
 */
import { asFileError, FileFormatError, SourceError, WeightsMismatchError } from '../io/errors.js';
import { readH5 } from '../io/h5-read.js';
import { readKerasArchive } from '../io/keras-archive.js';
import { kerasWeightsByLayer, writeKerasWeights } from '../io/keras-weights.js';
import type { LayerWeights } from '../io/layer-weights.js';
import { isLegacyH5Tree, legacyWeightsByLayer } from '../io/legacy-h5.js';
import { sniffFormat } from '../io/load.js';
import { readSource, type ByteSource } from '../io/source.js';
import { InvalidArgumentError } from '../errors.js';
import { InputLayer } from '../layers/input-layer.js';
import type { Layer } from '../layers/layer.js';
import { isModelLayer, kerasGraphOrder, serializeModel } from './model-serialization.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Model } from '../models/model.js';
import type { LoadWeightsOptions, SaveOptions } from '../models/model-services.js';

/** The layers of a model in Keras's order (input layers and operations included for functional models). */
export function kerasOrderedLayers(model: Model): Layer[] {
  if (model.className === 'Sequential') return model.layers;
  if (model.layers.length === 0) return [];
  return kerasGraphOrder(model.inputs, model.outputs).operations;
}

/** A layer's variables in Keras's `get_weights()` order; a nested model's are its layers', flattened. */
export function kerasOrderedVariables(layer: Layer): Variable[] {
  if (isModelLayer(layer)) return kerasOrderedLayers(layer).flatMap(kerasOrderedVariables);
  return layer.weights;
}

/** Each layer's weights (Keras order, float32 copies), as the writers of src/io take them. */
export function modelLayerWeights(model: Model): LayerWeights[] {
  return kerasOrderedLayers(model)
    .filter((layer) => !(layer instanceof InputLayer))
    .map((layer) => ({
      layerName: layer.name,
      className: layer.className,
      weights: kerasOrderedVariables(layer).map((v) => ({
        name: v.name,
        shape: [...v.shape],
        data: Float32Array.from(v.values),
      })),
    }));
}

interface Assignment {
  variable: Variable;
  value: Tensor;
}

/** Checks one layer's weights from the file against its variables; the assignments if they fit. */
function matchLayer(layer: Layer, variables: readonly Variable[], loaded: LayerWeights, file: string): Assignment[] {
  if (loaded.weights.length !== variables.length) {
    const expected = variables.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ') || 'none';
    const got = loaded.weights.map((w) => `${w.name} ${formatShape(w.shape)}`).join(', ') || 'none';
    const from = loaded.layerName === layer.name ? '' : ` (the file's layer '${loaded.layerName}')`;
    throw new WeightsMismatchError(
      `the file has ${loaded.weights.length} weights${from} [${got}], the model's layer has ${variables.length} [${expected}]`,
      {
        file,
        layer: layer.name,
      },
    );
  }
  return variables.map((variable, i) => {
    const weight = loaded.weights[i]!;
    if (!shapesEqual(weight.shape, variable.shape)) {
      throw new WeightsMismatchError(
        `shape ${formatShape(weight.shape)} in the file, ${formatShape(variable.shape)} in the model`,
        {
          file,
          layer: layer.name,
          weight: `${i} (${weight.name}; the model's ${variable.name})`,
        },
      );
    }
    return { variable, value: new Tensor(weight.data, [...weight.shape], 'float32') };
  });
}

/**
 * Assigns per-layer weights read from `file` to the model: by layer name (`byName`), or in order over the layers
 * that have weights. Everything is checked before anything is assigned: a missing layer, a layer the model does
 * not have, a different count or shape is a `WeightsMismatchError` and leaves the model as it was.
 */
export function assignLayerWeights(
  model: Model,
  loaded: readonly LayerWeights[],
  file: string,
  options: { byName: boolean },
): void {
  const targets = kerasOrderedLayers(model)
    .map((layer) => ({ layer, variables: kerasOrderedVariables(layer) }))
    .filter((target) => target.variables.length > 0);
  const withWeights = loaded.filter((entry) => entry.weights.length > 0);
  const assignments: Assignment[] = [];
  if (options.byName) {
    const byName = new Map(loaded.map((entry) => [entry.layerName, entry]));
    for (const { layer, variables } of targets) {
      const entry = byName.get(layer.name);
      if (entry === undefined || entry.weights.length === 0) {
        throw new WeightsMismatchError(`the file has no weights for this layer (${variables.length} expected)`, {
          file,
          layer: layer.name,
        });
      }
      assignments.push(...matchLayer(layer, variables, entry, file));
    }
    const names = new Set(targets.map((t) => t.layer.name));
    const extra = withWeights.find((entry) => !names.has(entry.layerName));
    if (extra !== undefined) {
      throw new WeightsMismatchError(
        `the file has ${extra.weights.length} weights for a layer the model does not have`,
        { file, layer: extra.layerName },
      );
    }
  } else {
    if (withWeights.length !== targets.length) {
      const first = targets[Math.min(withWeights.length, targets.length)] ?? targets[targets.length - 1];
      throw new WeightsMismatchError(
        `the file holds weights for ${withWeights.length} layers (${withWeights.map((e) => e.layerName).join(', ')}), ` +
          `the model has ${targets.length} layers with weights (${targets.map((t) => t.layer.name).join(', ')})`,
        { file, layer: first?.layer.name ?? withWeights[targets.length]?.layerName ?? model.name },
      );
    }
    targets.forEach(({ layer, variables }, i) =>
      assignments.push(...matchLayer(layer, variables, withWeights[i]!, file)),
    );
  }
  for (const { variable, value } of assignments) variable.assign(value);
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function pathText(path: string | URL): string {
  return typeof path === 'string' ? path : path.pathname;
}

/** @internal A path ending in `suffix`, or an `InvalidArgumentError` saying what such a file is. */
export function checkSuffix(path: string | URL, suffix: string, what: string, context: string): void {
  const text = pathText(path);
  if (typeof text !== 'string' || !text.endsWith(suffix)) {
    throw new InvalidArgumentError({
      argument: 'path',
      expected: `a path ending in ${suffix} (${what})`,
      received: path,
      context,
    });
  }
}

/** @internal Writes bytes to a path (Node.js only). */
export async function writeFile(path: string | URL, bytes: Uint8Array, options: SaveOptions): Promise<void> {
  const label = typeof path === 'string' ? path : path.href;
  if (!isNode()) throw new SourceError('writing a file path needs Node.js; use toBytes() in browsers', label);
  const { writeBytesToPath } = await import('../io/node.js');
  await writeBytesToPath(path, bytes, options);
}

/** The bytes of the model's `.weights.h5` file (Keras 3 layout). */
export async function weightsToBytes(model: Model): Promise<Uint8Array> {
  return writeKerasWeights(serializeModel(model), modelLayerWeights(model));
}

export async function saveWeights(model: Model, path: string | URL, options: SaveOptions = {}): Promise<void> {
  checkSuffix(
    path,
    '.weights.h5',
    'Keras 3 requires this suffix for weights files',
    `${model.className} '${model.name}'.saveWeights`,
  );
  await writeFile(path, await weightsToBytes(model), options);
}

/**
 * `model.loadWeights(source)`: see Model.loadWeights. All or nothing: the whole file is read and every weight
 * checked before any is assigned, so a failure (always a `KerasGruError` naming the file) leaves the model's
 * weights as they were.
 */
export async function loadWeights(model: Model, source: ByteSource, options: LoadWeightsOptions = {}): Promise<void> {
  const { bytes, name } = await readSource(source, options);
  try {
    await readWeightsInto(model, bytes, name, options);
  } catch (cause) {
    throw asFileError(cause, name);
  }
}

async function readWeightsInto(model: Model, bytes: Uint8Array, name: string, options: LoadWeightsOptions) {
  const where = { file: name };
  switch (sniffFormat(bytes)) {
    case 'zip': {
      // Keras matches a .keras file's weights by the layers' places in the model, as for .weights.h5.
      const archive = await readKerasArchive(bytes, where);
      assignLayerWeights(
        model,
        kerasWeightsByLayer(archive.weights, serializeModel(model), { file: name, member: 'model.weights.h5' }),
        name,
        { byName: true },
      );
      return;
    }
    case 'hdf5': {
      const tree = await readH5(bytes, where);
      if (isLegacyH5Tree(tree)) {
        assignLayerWeights(model, legacyWeightsByLayer(tree, where), name, { byName: options.byName === true });
        return;
      }
      if (tree.groups.layers === undefined && tree.groups.vars === undefined) {
        throw new FileFormatError('an HDF5 file in neither Keras 3 nor legacy Keras layout', { ...where, path: '/' });
      }
      assignLayerWeights(model, kerasWeightsByLayer(tree, serializeModel(model), where), name, { byName: true });
      return;
    }
    default:
      throw new FileFormatError('not a weights file: neither HDF5 (.weights.h5, .h5) nor a .keras zip', where);
  }
}
