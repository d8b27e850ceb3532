/**
 * What `Model`'s file and export methods delegate to. Writing and reading Keras files needs the Keras wire
 * format (src/keras) and writing ONNX needs src/onnx; both import the models, so models cannot import them.
 * Instead `save`, `toBytes`, `toTfjs`, `saveWeights`, `loadWeights` and `toOnnx` call the services installed here:
 * src/keras/install.ts installs the file services and src/index.ts the ONNX export, so the public API always
 * has them. The options of those methods are declared here, with the methods' other types.
 */
import { KerasGruError } from '../errors.js';
import type { KerasFileKind } from '../io/load.js';
import type { ByteSource, ReadSourceOptions } from '../io/source.js';
import type { TfjsModelJson } from '../io/tfjs.js';
import type { Model } from './model.js';

/** What `loadModel` records on a model it read (`model.loadedFrom`). */
export interface ModelFileInfo {
  /** The path, URL or file name; `<bytes>` for bytes. */
  file: string;
  format: KerasFileKind;
  /** The Keras version the file records (`keras_version`), if any. */
  kerasVersion: string | undefined;
  /**
   * The Keras semantics names were read with: 2 makes `hard_sigmoid` Keras 2's clip(0.2x + 0.5, 0, 1), 3 makes it
   * Keras 3's relu6(x + 3) / 6.
   */
  semantics: 2 | 3;
}

export interface SaveOptions {
  /** Replace an existing file. Default false: an existing file is a `FileExistsError` and stays as it was. */
  overwrite?: boolean;
}

export interface LoadWeightsOptions extends ReadSourceOptions {
  /**
   * Legacy `.h5` only: match the file's layers to the model's by name instead of by order (Keras 2's
   * `by_name=True`). Default false: the layers that have weights, in order, as Keras 2 loads them.
   */
  byName?: boolean;
}

export interface ExportOnnxOptions {
  /** Names of the graph inputs, one per model input. Default: the input layers' names. */
  inputNames?: readonly string[];
  /** Names of the graph outputs, one per model output. Default: the output tensors' names (their layers'). */
  outputNames?: readonly string[];
  /**
   * The element type of integer inputs (token ids): `'int32'` (default, as the model declares them) or
   * `'int64'` (what many ONNX tools feed).
   */
  integerInputs?: 'int32' | 'int64';
  /** The graph's name. Default: the model's name. */
  graphName?: string;
  /** Free text stored in the model (`doc_string`). */
  docString?: string;
}

/** A TF.js layers model: `model.json`'s object and the shard files it names (paths relative to its folder). */
export interface TfjsFiles {
  modelJson: TfjsModelJson;
  shards: { path: string; data: Uint8Array }[];
}

export interface ModelServices {
  saveModel(model: Model, path: string | URL, options: SaveOptions): Promise<void>;
  modelToBytes(model: Model): Promise<Uint8Array>;
  modelToTfjs(model: Model): TfjsFiles;
  saveWeights(model: Model, path: string | URL, options: SaveOptions): Promise<void>;
  weightsToBytes(model: Model): Promise<Uint8Array>;
  loadWeights(model: Model, source: ByteSource, options: LoadWeightsOptions): Promise<void>;
  exportOnnx(model: Model, options: ExportOnnxOptions): Uint8Array;
}

const installed: Partial<ModelServices> = {};

/** Installs (or replaces) services; src/keras/install.ts and src/index.ts call this. */
export function installModelServices(services: Partial<ModelServices>): void {
  Object.assign(installed, services);
}

/** The installed service `name`; `what` names the calling method for the error thrown when it is missing. */
export function modelService<K extends keyof ModelServices>(name: K, what: string): ModelServices[K] {
  const service = installed[name];
  if (service === undefined) {
    throw new KerasGruError(
      `${what}: ${name} is not installed; import the library from its entry point ('keras-gru', src/index.ts), which installs it`,
    );
  }
  return service;
}
