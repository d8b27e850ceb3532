/**
 * TensorFlow.js "layers-model" format: a `model.json` with `modelTopology` (the Keras model config, snake_case,
 * under `model_config`) and a `weightsManifest` (groups of weights, each group stored as the concatenation of
 * its binary shard files), plus those shards. Weights are little-endian and named `<layer>/<variable>`
 * (`gru/kernel`, or `gru/gru_cell/kernel` from the converter); each group's weights follow one another in
 * manifest order and may straddle shard boundaries.
 */
import { InvalidArgumentError } from '../errors.js';
import { FileFormatError } from './errors.js';
import { toBytes } from './h5-read.js';
import { checkShardPath } from './limits.js';
import { validateLayerWeights, type LayerWeights, type WeightValue } from './layer-weights.js';
import { isRecord, modelLayers, parseJsonObject, type FileContext } from './model-config.js';

export interface TfjsQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
  original_dtype?: string;
}

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | string;
  quantization?: TfjsQuantization;
}

export interface TfjsWeightsGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: Record<string, unknown> | null;
  weightsManifest: TfjsWeightsGroup[];
  trainingConfig?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface TfjsModel {
  /** The Keras model config (`modelTopology.model_config`), or undefined for a weights-only manifest. */
  config: Record<string, unknown> | undefined;
  kerasVersion: string | undefined;
  backend: string | undefined;
  trainingConfig: Record<string, unknown> | undefined;
  /**
   * With a config: every layer of it in config order, each with its weights in manifest order (empty for layers
   * without weights). Without: one entry per weight-name prefix, in manifest order, with `className: ''`.
   */
  layers: LayerWeights[];
}

/** Shard bytes by path (as listed in the manifest), or a function fetching them. */
export type TfjsShards =
  | Record<string, Uint8Array | ArrayBuffer>
  | ((path: string) => Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>);

const MODEL_JSON = 'model.json';

/** Parses and checks a `model.json` (text, bytes or an already-parsed object). */
export function parseTfjsModelJson(
  source: string | Uint8Array | ArrayBuffer | object,
  options: { file?: string } = {},
): TfjsModelJson {
  const where = { file: options.file ?? MODEL_JSON };
  let value: unknown = source;
  if (typeof source === 'string' || source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const text = typeof source === 'string' ? source : new TextDecoder().decode(toBytes(source));
    value = parseJsonObject(text, where);
  }
  if (!isRecord(value)) throw new FileFormatError('not a JSON object', where);
  const manifest = value.weightsManifest;
  if (!Array.isArray(manifest))
    throw new FileFormatError('no weightsManifest list', { ...where, path: '$.weightsManifest' });
  manifest.forEach((group, g) => {
    const path = `$.weightsManifest[${g}]`;
    if (
      !isRecord(group) ||
      !Array.isArray(group.paths) ||
      !Array.isArray(group.weights) ||
      !group.paths.every((p) => typeof p === 'string')
    ) {
      throw new FileFormatError('a group without paths and weights lists', { ...where, path });
    }
    for (const shard of group.paths as string[]) checkShardPath(shard, { ...where, path: `${path}.paths` });
    group.weights.forEach((spec, w) => {
      const ok =
        isRecord(spec) &&
        typeof spec.name === 'string' &&
        Array.isArray(spec.shape) &&
        spec.shape.every((dim) => Number.isInteger(dim) && (dim as number) >= 0) &&
        typeof spec.dtype === 'string';
      if (!ok)
        throw new FileFormatError('a weight without name, shape and dtype', {
          ...where,
          path: `${path}.weights[${w}]`,
        });
    });
  });
  const topology = value.modelTopology;
  if (topology !== undefined && topology !== null && !isRecord(topology)) {
    throw new FileFormatError('modelTopology is not an object', { ...where, path: '$.modelTopology' });
  }
  return {
    ...value,
    modelTopology: (topology as Record<string, unknown> | undefined) ?? null,
    weightsManifest: manifest as TfjsWeightsGroup[],
  };
}

function bytesPerElement(spec: TfjsWeightSpec, where: FileContext): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  switch (dtype) {
    case 'float32':
    case 'int32':
      return 4;
    case 'uint16':
    case 'float16':
      return 2;
    case 'uint8':
    case 'bool':
      return 1;
    default:
      throw new FileFormatError(`weight '${spec.name}' has dtype ${dtype}, which layers models do not use`, where);
  }
}

/** IEEE 754 half precision → number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeWeight(view: DataView, offset: number, spec: TfjsWeightSpec, size: number): Float32Array {
  const data = new Float32Array(size);
  const q = spec.quantization;
  if (q === undefined) {
    for (let i = 0; i < size; i++) {
      if (spec.dtype === 'float32') data[i] = view.getFloat32(offset + 4 * i, true);
      else if (spec.dtype === 'int32') data[i] = view.getInt32(offset + 4 * i, true);
      else data[i] = view.getUint8(offset + i) === 0 ? 0 : 1;
    }
    return data;
  }
  const roundToInt = q.original_dtype === 'int32';
  for (let i = 0; i < size; i++) {
    let value: number;
    if (q.dtype === 'float16') value = halfToFloat(view.getUint16(offset + 2 * i, true));
    else {
      const stored = q.dtype === 'uint8' ? view.getUint8(offset + i) : view.getUint16(offset + 2 * i, true);
      value = stored * (q.scale ?? 1) + (q.min ?? 0);
    }
    data[i] = roundToInt ? Math.round(value) : value;
  }
  return data;
}

async function shardBytes(shards: TfjsShards, path: string, where: FileContext): Promise<Uint8Array> {
  let bytes: Uint8Array | ArrayBuffer | undefined;
  if (typeof shards === 'function') bytes = await shards(path);
  else bytes = Object.prototype.hasOwnProperty.call(shards, path) ? shards[path] : undefined;
  if (bytes === undefined) throw new FileFormatError('weight shard not given', { ...where, member: path });
  return toBytes(bytes);
}

/** Decodes every weight of the manifest, in manifest order. */
export async function decodeTfjsWeights(
  modelJson: TfjsModelJson,
  shards: TfjsShards,
  options: { file?: string } = {},
): Promise<WeightValue[]> {
  const where = { file: options.file ?? MODEL_JSON };
  const result: WeightValue[] = [];
  for (const group of modelJson.weightsManifest) {
    const parts = await Promise.all(group.paths.map((path) => shardBytes(shards, path, where)));
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    const buffer = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      buffer.set(part, at);
      at += part.length;
    }
    const view = new DataView(buffer.buffer);
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((product, dim) => product * dim, 1);
      const length = size * bytesPerElement(spec, where);
      if (offset + length > total) {
        throw new FileFormatError(
          `the shards hold ${total} bytes, too few for weight '${spec.name}' (needs ${offset + length})`,
          {
            ...where,
            member: group.paths.join(', '),
          },
        );
      }
      result.push({ name: spec.name, shape: [...spec.shape], data: decodeWeight(view, offset, spec, size) });
      offset += length;
    }
    if (offset !== total) {
      throw new FileFormatError(`the shards hold ${total} bytes but the manifest's weights use ${offset}`, {
        ...where,
        member: group.paths.join(', '),
      });
    }
  }
  return result;
}

function topologyParts(topology: Record<string, unknown> | null) {
  if (topology === null)
    return { config: undefined, kerasVersion: undefined, backend: undefined, trainingConfig: undefined };
  const config = isRecord(topology.model_config)
    ? topology.model_config
    : typeof topology.class_name === 'string'
      ? topology
      : undefined;
  return {
    config,
    kerasVersion: typeof topology.keras_version === 'string' ? topology.keras_version : undefined,
    backend: typeof topology.backend === 'string' ? topology.backend : undefined,
    trainingConfig: isRecord(topology.training_config) ? topology.training_config : undefined,
  };
}

/** Reads a layers-model: `model.json` (text, bytes or object) and its shards, into per-layer weights. */
export async function readTfjsModel(
  modelJson: string | Uint8Array | ArrayBuffer | object,
  shards: TfjsShards,
  options: { file?: string } = {},
): Promise<TfjsModel> {
  const where = { file: options.file ?? MODEL_JSON };
  const json = parseTfjsModelJson(modelJson, where);
  const weights = await decodeTfjsWeights(json, shards, where);
  const { config, kerasVersion, backend, trainingConfig } = topologyParts(json.modelTopology);
  const training = trainingConfig ?? (isRecord(json.trainingConfig) ? json.trainingConfig : undefined);
  if (config === undefined) {
    const layers: LayerWeights[] = [];
    for (const weight of weights) {
      const layerName = weight.name.split('/')[0]!;
      let layer = layers.find((candidate) => candidate.layerName === layerName);
      if (layer === undefined) layers.push((layer = { layerName, className: '', weights: [] }));
      layer.weights.push(weight);
    }
    return { config, kerasVersion, backend, trainingConfig: training, layers };
  }
  const model = modelLayers(config, where);
  const layers: LayerWeights[] = model.layers.map((entry) => ({
    layerName: entry.name,
    className: entry.className,
    weights: [],
  }));
  for (const weight of weights) {
    // The first path segment that names a layer of the model: `gru/kernel`, `model/gru/kernel` for a scoped name.
    const layer = weight.name
      .split('/')
      .map((segment) => layers.find((candidate) => candidate.layerName === segment))
      .find((candidate) => candidate !== undefined);
    if (layer === undefined)
      throw new FileFormatError(`weight '${weight.name}' belongs to no layer of the model`, {
        ...where,
        path: '$.weightsManifest',
      });
    layer.weights.push(weight);
  }
  return { config, kerasVersion, backend, trainingConfig: training, layers };
}

export interface WriteTfjsOptions {
  /** The Keras model config (snake_case), stored as `modelTopology.model_config`. */
  config: Record<string, unknown>;
  /** Each layer's weights in `get_weights()` order. */
  layers: readonly LayerWeights[];
  /** Largest shard in bytes; default 4 MiB, as TF.js's converter. */
  shardSizeBytes?: number;
  /** `modelTopology.keras_version`; default the converter's form for the version this library writes. */
  kerasVersion?: string;
  trainingConfig?: Record<string, unknown>;
}

/** TF.js's name of a weight: the variable path without RNN cell scopes (`gru/gru_cell/kernel` → `gru/kernel`). */
export function tfjsWeightName(name: string): string {
  return name
    .split('/')
    .filter((segment, i, all) => i === 0 || i === all.length - 1 || !segment.endsWith('_cell'))
    .join('/');
}

/** A layers-model: `model.json`'s object and the shard files it names (`group1-shard1of2.bin`, ...). */
export function writeTfjsModel(options: WriteTfjsOptions): {
  modelJson: TfjsModelJson;
  shards: { path: string; data: Uint8Array }[];
} {
  validateLayerWeights(options.layers, 'writeTfjsModel');
  const shardSize = options.shardSizeBytes ?? 4 * 1024 * 1024;
  if (!Number.isInteger(shardSize) || shardSize < 1) {
    throw new InvalidArgumentError({
      argument: 'shardSizeBytes',
      expected: 'a positive integer',
      received: shardSize,
      context: 'writeTfjsModel',
    });
  }
  const weights = options.layers.flatMap((layer) => layer.weights);
  const total = weights.reduce((sum, weight) => sum + 4 * weight.data.length, 0);
  const buffer = new Uint8Array(total);
  const view = new DataView(buffer.buffer);
  let offset = 0;
  for (const weight of weights) {
    for (const value of weight.data) {
      view.setFloat32(offset, value, true);
      offset += 4;
    }
  }
  const count = Math.max(1, Math.ceil(total / shardSize));
  const shards = Array.from({ length: count }, (_, i) => ({
    path: `group1-shard${i + 1}of${count}.bin`,
    data: buffer.slice(i * shardSize, Math.min(total, (i + 1) * shardSize)),
  }));
  const modelTopology: Record<string, unknown> = {
    keras_version: options.kerasVersion ?? 'keras-gru',
    backend: 'tensor_flow.js',
    model_config: options.config,
  };
  if (options.trainingConfig !== undefined) modelTopology.training_config = options.trainingConfig;
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: 'keras-gru',
    convertedBy: null,
    modelTopology,
    weightsManifest: [
      {
        paths: shards.map((shard) => shard.path),
        weights: weights.map((weight) => ({
          name: tfjsWeightName(weight.name),
          shape: [...weight.shape],
          dtype: 'float32',
        })),
      },
    ],
  };
  return { modelJson, shards };
}
