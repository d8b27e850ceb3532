/**
 * A plain-object picture of an HDF5 file: groups hold attributes, subgroups and datasets; a dataset holds its
 * shape, dtype and numbers. `readH5` produces it from bytes and `writeH5` turns it back into bytes, so code that
 * knows a file layout (Keras's) works on plain objects and never on the HDF5 library.
 *
 * Every array is flat and row-major; `shape` gives its dimensions (`[]` for a scalar, one element).
 */
import { InvalidArgumentError } from '../errors.js';

export type H5NumericDType =
  'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

export type H5NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export interface H5NumericAttribute {
  type: 'numeric';
  dtype: H5NumericDType;
  shape: number[];
  data: H5NumericArray;
}

/**
 * A string attribute. `length: null` is HDF5's variable-length string (what h5py writes for `str`); a number is
 * a fixed-length string of that many bytes (what h5py writes for `bytes` and numpy `S` arrays, as Keras 2 did).
 */
export interface H5StringAttribute {
  type: 'string';
  charset: 'ascii' | 'utf8';
  length: number | null;
  shape: number[];
  data: string[];
}

export type H5Attribute = H5NumericAttribute | H5StringAttribute;

export interface H5Dataset {
  dtype: H5NumericDType;
  shape: number[];
  data: H5NumericArray;
  attrs: Record<string, H5Attribute>;
}

export interface H5Group {
  attrs: Record<string, H5Attribute>;
  groups: Record<string, H5Group>;
  datasets: Record<string, H5Dataset>;
}

/** An empty group, or one with the given parts. */
export function h5Group(parts: Partial<H5Group> = {}): H5Group {
  return { attrs: parts.attrs ?? {}, groups: parts.groups ?? {}, datasets: parts.datasets ?? {} };
}

/** The dtype whose storage `data` is. */
export function dtypeOfArray(data: H5NumericArray): H5NumericDType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof BigInt64Array) return 'int64';
  return 'uint64';
}

/** A dataset of `data` (flat, row-major) with `shape`; the dtype is that of the array. */
export function h5Dataset(
  data: H5NumericArray,
  shape: readonly number[],
  attrs: Record<string, H5Attribute> = {},
): H5Dataset {
  return { dtype: dtypeOfArray(data), shape: [...shape], data, attrs };
}

export interface StringAttributeOptions {
  /** Default `utf8`. */
  charset?: 'ascii' | 'utf8';
  /** `null` (default) for variable-length strings; a byte count for fixed-length ones (default: the longest). */
  length?: number | null | 'longest';
}

/** A string attribute: a scalar for one string, a 1-D array for a list. */
export function stringAttribute(
  value: string | readonly string[],
  options: StringAttributeOptions = {},
): H5StringAttribute {
  const data = typeof value === 'string' ? [value] : [...value];
  const shape = typeof value === 'string' ? [] : [data.length];
  const encoder = new TextEncoder();
  const length =
    options.length === 'longest'
      ? Math.max(1, ...data.map((item) => encoder.encode(item).length))
      : (options.length ?? null);
  return { type: 'string', charset: options.charset ?? 'utf8', length, shape, data };
}

/** A numeric attribute: `shape` defaults to 1-D (`[data.length]`); pass `[]` for a scalar. */
export function numericAttribute(data: H5NumericArray, shape: readonly number[] = [data.length]): H5NumericAttribute {
  return { type: 'numeric', dtype: dtypeOfArray(data), shape: [...shape], data };
}

function pathParts(path: string): string[] {
  return path.split('/').filter((part) => part.length > 0);
}

/** The group at `path` (`a/b/c`, relative to `root`), or undefined. */
export function getGroup(root: H5Group, path: string): H5Group | undefined {
  let group: H5Group | undefined = root;
  for (const part of pathParts(path)) {
    group = group.groups[part];
    if (group === undefined) return undefined;
  }
  return group;
}

/** The dataset at `path` (`a/b/name`, relative to `root`), or undefined. */
export function getDataset(root: H5Group, path: string): H5Dataset | undefined {
  const parts = pathParts(path);
  const name = parts.pop();
  if (name === undefined) return undefined;
  return getGroup(root, parts.join('/'))?.datasets[name];
}

/** The group at `path`, created (with any missing parents) if absent. */
export function ensureGroup(root: H5Group, path: string): H5Group {
  let group = root;
  for (const part of pathParts(path)) {
    group.groups[part] ??= h5Group();
    group = group.groups[part]!;
  }
  return group;
}

/** Puts `dataset` at `path`, creating the parent groups: `a/b/kernel:0` lands in group `a/b` as `kernel:0`. */
export function setDataset(root: H5Group, path: string, dataset: H5Dataset): void {
  const parts = pathParts(path);
  const name = parts.pop();
  if (name === undefined) {
    throw new InvalidArgumentError({
      argument: 'path',
      expected: 'a dataset path',
      received: path,
      context: 'setDataset',
    });
  }
  ensureGroup(root, parts.join('/')).datasets[name] = dataset;
}

/**
 * The strings of an attribute, or undefined if it is not a string attribute. A numeric attribute with no
 * elements counts as an empty list: h5py stores an empty Python list as an empty float64 array (Keras's
 * `weight_names` of a layer without weights).
 */
export function attributeStrings(attribute: H5Attribute | undefined): string[] | undefined {
  if (attribute === undefined) return undefined;
  if (attribute.type === 'string') return attribute.data;
  return attribute.data.length === 0 ? [] : undefined;
}

/** The string of a scalar (or one-element) string attribute, or undefined. */
export function attributeString(attribute: H5Attribute | undefined): string | undefined {
  if (attribute?.type !== 'string' || attribute.data.length !== 1) return undefined;
  return attribute.data[0];
}
