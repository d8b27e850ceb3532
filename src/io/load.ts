/**
 * `loadKerasFile`: any of Keras's model files, told apart by their bytes, into one shape: the model config
 * (snake_case) and each layer's weights. `.keras` zips, legacy `.h5` (full model or weights-only), Keras 3
 * `.weights.h5` (which holds no config: pass one), and TF.js `model.json` (its shards are read from beside it,
 * or passed).
 */
import { InvalidArgumentError } from '../errors.js';
import { asFileError, FileFormatError } from './errors.js';
import { hasH5Signature, readH5 } from './h5-read.js';
import { hasZipSignature, readKerasArchive } from './keras-archive.js';
import { kerasWeightsByLayer } from './keras-weights.js';
import type { LayerWeights } from './layer-weights.js';
import { isLegacyH5Tree, legacyH5FromTree } from './legacy-h5.js';
import { readKerasOptimizerVars, readLegacyOptimizerWeights, type SavedOptimizerState } from './optimizer-vars.js';
import { readSource, siblingSource, type ByteSource, type ReadSourceOptions } from './source.js';
import { readTfjsModel, type TfjsShards } from './tfjs.js';

export type KerasFileKind = 'keras' | 'legacy-h5' | 'weights-h5' | 'tfjs';

export interface LoadedKerasFile {
  kind: KerasFileKind;
  /** The path, URL or file name it came from; `<bytes>` for bytes. */
  name: string;
  /** The model config (snake_case `{ class_name, config }`); undefined for weights-only files. */
  config: Record<string, unknown> | undefined;
  /** The Keras version that wrote it, if recorded. */
  kerasVersion: string | undefined;
  /** With a config: its layers (see each format's reader for which and in what order), with weights. */
  layers: LayerWeights[];
  /** `.keras`: `metadata.json`. */
  metadata?: Record<string, unknown>;
  /** Legacy `.h5` and TF.js: the training config, when the model was compiled. */
  trainingConfig?: Record<string, unknown>;
  /**
   * `.keras` (`optimizer/vars` of `model.weights.h5`) and legacy `.h5` (`optimizer_weights`): the optimizer's
   * saved variables, when the model was saved compiled.
   */
  optimizerState?: SavedOptimizerState;
}

export interface LoadKerasFileOptions extends ReadSourceOptions {
  /** The model config to read a Keras 3 `.weights.h5` with (it holds none). */
  config?: Record<string, unknown>;
  /** TF.js shards, when `model.json` was given as bytes or they are not beside it. */
  shards?: TfjsShards;
}

/** What a file's first bytes say it is: a zip, HDF5, JSON text, or unknown. */
export function sniffFormat(bytes: Uint8Array): 'zip' | 'hdf5' | 'json' | 'unknown' {
  if (hasZipSignature(bytes)) return 'zip';
  if (hasH5Signature(bytes)) return 'hdf5';
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i]!)) i++;
  return bytes[i] === 0x7b ? 'json' : 'unknown';
}

/**
 * Reads any Keras model file (see the top of this module). Every failure is a `KerasGruError` naming the file:
 * a `FileFormatError` for damaged or hostile bytes (limits in limits.ts), a `SourceError` for bytes that could
 * not be obtained.
 */
export async function loadKerasFile(source: ByteSource, options: LoadKerasFileOptions = {}): Promise<LoadedKerasFile> {
  const { bytes, name } = await readSource(source, options);
  try {
    return await readKerasFile(bytes, name, source, options);
  } catch (cause) {
    throw asFileError(cause, name);
  }
}

async function readKerasFile(
  bytes: Uint8Array,
  name: string,
  source: ByteSource,
  options: LoadKerasFileOptions,
): Promise<LoadedKerasFile> {
  const where = { file: name };
  switch (sniffFormat(bytes)) {
    case 'zip': {
      const archive = await readKerasArchive(bytes, where);
      const version = archive.metadata.keras_version;
      const file: LoadedKerasFile = {
        kind: 'keras',
        name,
        config: archive.config,
        kerasVersion: typeof version === 'string' ? version : undefined,
        layers: kerasWeightsByLayer(archive.weights, archive.config, where),
        metadata: archive.metadata,
      };
      const optimizerState = readKerasOptimizerVars(archive.weights, { ...where, member: 'model.weights.h5' });
      if (optimizerState !== undefined) file.optimizerState = optimizerState;
      return file;
    }
    case 'hdf5': {
      const tree = await readH5(bytes, where);
      if (isLegacyH5Tree(tree)) {
        const legacy = legacyH5FromTree(tree, where);
        const file: LoadedKerasFile = {
          kind: 'legacy-h5',
          name,
          config: legacy.config,
          kerasVersion: legacy.kerasVersion,
          layers: legacy.layers,
        };
        if (legacy.trainingConfig !== undefined) file.trainingConfig = legacy.trainingConfig;
        const optimizerState = readLegacyOptimizerWeights(tree, where);
        if (optimizerState !== undefined) file.optimizerState = optimizerState;
        return file;
      }
      if (tree.groups.layers === undefined && tree.groups.vars === undefined) {
        throw new FileFormatError('an HDF5 file in neither Keras 3 nor legacy Keras layout', { ...where, path: '/' });
      }
      if (options.config === undefined) {
        throw new InvalidArgumentError({
          argument: 'options.config',
          expected: 'the model config to read a Keras 3 .weights.h5 with (the file holds none)',
          received: undefined,
          context: `loadKerasFile(${name})`,
        });
      }
      return {
        kind: 'weights-h5',
        name,
        config: options.config,
        kerasVersion: undefined,
        layers: kerasWeightsByLayer(tree, options.config, where),
      };
    }
    case 'json': {
      const shards: TfjsShards =
        options.shards ??
        (async (path: string) => {
          const sibling = siblingSource(source, path);
          if (sibling === undefined)
            throw new FileFormatError('shards of a model.json given as bytes must be passed as options.shards', {
              ...where,
              member: path,
            });
          return (await readSource(sibling, options)).bytes;
        });
      const model = await readTfjsModel(bytes, shards, where);
      const file: LoadedKerasFile = {
        kind: 'tfjs',
        name,
        config: model.config,
        kerasVersion: model.kerasVersion,
        layers: model.layers,
      };
      if (model.trainingConfig !== undefined) file.trainingConfig = model.trainingConfig;
      return file;
    }
    default:
      throw new FileFormatError(
        'not a Keras file: neither a zip (.keras), HDF5 (.h5) nor JSON (TF.js model.json)',
        where,
      );
  }
}
