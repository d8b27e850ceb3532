/**
 * Keras 3 `.keras` files: a zip of `metadata.json` (`keras_version`, `date_saved`), `config.json` (the model's
 * serialized config, snake_case) and `model.weights.h5` (the weights, layout in keras-layout.ts), stored
 * uncompressed, in that order.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { FileFormatError } from './errors.js';
import { readH5, toBytes } from './h5-read.js';
import type { H5Group } from './h5-tree.js';
import { writeKerasWeights, type OptimizerVariables } from './keras-weights.js';
import type { LayerWeights } from './layer-weights.js';
import { zipMemberFilter } from './limits.js';
import { parseJsonObject } from './model-config.js';
import { pythonJsonDumps } from './python-json.js';

export const CONFIG_MEMBER = 'config.json';
export const METADATA_MEMBER = 'metadata.json';
export const WEIGHTS_MEMBER = 'model.weights.h5';

/** The Keras version whose formats this library writes (configs, archives, weights layout). */
export const KERAS_FORMAT_VERSION = '3.15.1';

export interface KerasArchive {
  /** `config.json`: `{ module, class_name, config, registered_name, build_config, compile_config }`. */
  config: Record<string, unknown>;
  /** `metadata.json`: `{ keras_version, date_saved }`; `{}` if the archive has none. */
  metadata: Record<string, unknown>;
  /** `model.weights.h5` as a tree; pass it with `config` to `kerasWeightsByLayer` for per-layer weights. */
  weights: H5Group;
  /** The archive's member names, in archive order (assets, if any, are listed but not read). */
  members: string[];
}

const READ_MEMBERS: ReadonlySet<string> = new Set([CONFIG_MEMBER, METADATA_MEMBER, WEIGHTS_MEMBER]);

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

export function hasZipSignature(bytes: Uint8Array): boolean {
  return ZIP_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

function parseJsonMember(bytes: Uint8Array, file: string, member: string): Record<string, unknown> {
  return parseJsonObject(strFromU8(bytes), { file, member });
}

/** Reads a `.keras` file's bytes. */
export async function readKerasArchive(
  source: Uint8Array | ArrayBuffer,
  options: { file?: string } = {},
): Promise<KerasArchive> {
  const file = options.file ?? '<bytes>';
  const bytes = toBytes(source);
  if (!hasZipSignature(bytes)) throw new FileFormatError('not a zip archive (a .keras file is one)', { file });
  let entries: Record<string, Uint8Array>;
  // Every member's name, in archive order; only the three read here are decompressed, each checked first.
  const members: string[] = [];
  try {
    const filter = zipMemberFilter(bytes.length, READ_MEMBERS, members, { file });
    entries = unzipSync(bytes, { filter });
  } catch (cause) {
    if (cause instanceof FileFormatError) throw cause;
    throw new FileFormatError(`damaged or truncated zip archive: ${(cause as Error).message}`, { file, cause });
  }
  const member = (name: string): Uint8Array | undefined =>
    Object.prototype.hasOwnProperty.call(entries, name) ? entries[name] : undefined;
  const configBytes = member(CONFIG_MEMBER);
  if (configBytes === undefined) {
    throw new FileFormatError(`no ${CONFIG_MEMBER} in the archive (members: ${members.join(', ') || 'none'})`, {
      file,
      member: CONFIG_MEMBER,
    });
  }
  const config = parseJsonMember(configBytes, file, CONFIG_MEMBER);
  const metadataBytes = member(METADATA_MEMBER);
  const metadata = metadataBytes === undefined ? {} : parseJsonMember(metadataBytes, file, METADATA_MEMBER);
  const weightsBytes = member(WEIGHTS_MEMBER);
  if (weightsBytes === undefined) {
    const other = members.find((name) => /^model\.weights\./.test(name) || /\.weights\.json$/.test(name));
    const why = other === undefined ? '' : ` (found ${other}: only HDF5 weights are supported)`;
    throw new FileFormatError(`no ${WEIGHTS_MEMBER} in the archive${why}`, { file, member: WEIGHTS_MEMBER });
  }
  const weights = await readH5(weightsBytes, { file, member: WEIGHTS_MEMBER });
  return { config, metadata, weights, members };
}

export interface WriteKerasArchiveOptions {
  /** The model config (snake_case), as `config.json` will hold it. */
  config: Record<string, unknown>;
  /** Each layer's weights in `get_weights()` order (see `kerasWeightsTree`). */
  layers: readonly LayerWeights[];
  /** A compiled model's optimizer variables, written as `optimizer/vars` of `model.weights.h5`. */
  optimizer?: OptimizerVariables;
  /** `metadata.json`'s `keras_version`; default `KERAS_FORMAT_VERSION`. */
  kerasVersion?: string;
  /** The save time (`metadata.json`'s `date_saved` and the members' times); default now. */
  date?: Date;
}

/** Keras's `date_saved`: local time as `YYYY-MM-DD@HH:MM:SS`. */
export function formatDateSaved(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `@${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** The bytes of a `.keras` file holding `config` and the weights of `layers`. */
export async function writeKerasArchive(options: WriteKerasArchiveOptions): Promise<Uint8Array> {
  const date = options.date ?? new Date();
  const metadata = { keras_version: options.kerasVersion ?? KERAS_FORMAT_VERSION, date_saved: formatDateSaved(date) };
  const weights = await writeKerasWeights(options.config, options.layers, options.optimizer);
  const member = (data: Uint8Array): [Uint8Array, { level: 0; mtime: Date }] => [data, { level: 0, mtime: date }];
  return zipSync({
    [METADATA_MEMBER]: member(strToU8(pythonJsonDumps(metadata))),
    [CONFIG_MEMBER]: member(strToU8(pythonJsonDumps(options.config))),
    [WEIGHTS_MEMBER]: member(weights),
  });
}
