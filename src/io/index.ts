/**
 * Keras's files: `.keras` archives, Keras 3 `.weights.h5`, legacy `.h5` and TF.js layers models, read into
 * model configs (snake_case, as Keras writes them) and per-layer weights, and written back. Everything here
 * works on bytes and runs in browsers too. Node's file-path helpers live in `node.ts`, which this index leaves
 * out so that browser bundles never see `node:fs`; `readSource`/`loadKerasFile` load it only when given a path.
 */
export { FileFormatError, FileExistsError, SourceError } from './errors.js';
export type { FileFormatErrorDetails } from './errors.js';
export type { LayerWeights, WeightValue } from './layer-weights.js';
export {
  h5Group,
  h5Dataset,
  stringAttribute,
  numericAttribute,
  getGroup,
  getDataset,
  setDataset,
  ensureGroup,
  attributeString,
  attributeStrings,
} from './h5-tree.js';
export type {
  H5Group,
  H5Dataset,
  H5Attribute,
  H5NumericAttribute,
  H5StringAttribute,
  H5NumericDType,
  H5NumericArray,
  StringAttributeOptions,
} from './h5-tree.js';
export { readH5, hasH5Signature } from './h5-read.js';
export type { ReadOptions } from './h5-read.js';
export { writeH5 } from './h5-write.js';
export { kerasWeightsByLayer, kerasWeightsTree, readKerasWeights, writeKerasWeights } from './keras-weights.js';
export { readKerasArchive, writeKerasArchive, KERAS_FORMAT_VERSION } from './keras-archive.js';
export type { KerasArchive, WriteKerasArchiveOptions } from './keras-archive.js';
export { readLegacyH5, legacyH5FromTree, legacyWeightsByLayer } from './legacy-h5.js';
export type { LegacyH5File } from './legacy-h5.js';
export { readTfjsModel, writeTfjsModel, parseTfjsModelJson, decodeTfjsWeights, tfjsWeightName } from './tfjs.js';
export type {
  TfjsModel,
  TfjsModelJson,
  TfjsShards,
  TfjsWeightsGroup,
  TfjsWeightSpec,
  WriteTfjsOptions,
} from './tfjs.js';
export { readSource, siblingSource } from './source.js';
export type { ByteSource, ReadSourceOptions, SourceBytes } from './source.js';
export { loadKerasFile, sniffFormat } from './load.js';
export type { KerasFileKind, LoadedKerasFile, LoadKerasFileOptions } from './load.js';
