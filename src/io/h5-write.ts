/**
 * `writeH5`: an `H5Group` tree (see h5-tree.ts) → HDF5 bytes, through h5wasm. Datasets are written contiguous
 * and uncompressed, little-endian, as h5py writes Keras's weights; groups list their members in name order, as
 * HDF5 does by default.
 */
import { InvalidArgumentError } from '../errors.js';
import type { H5Attribute, H5Group, H5NumericDType } from './h5-tree.js';
import { summarizeH5Error, withMemoryFile, type H5wasm } from './h5wasm.js';

/** h5wasm's (numpy-style) type codes. */
const TYPE_CODES: Record<H5NumericDType, string> = {
  int8: '<b',
  uint8: '<B',
  int16: '<h',
  uint16: '<H',
  int32: '<i',
  uint32: '<I',
  int64: '<q',
  uint64: '<Q',
  float32: '<f',
  float64: '<d',
};

type Handle = InstanceType<H5wasm['Group']> | InstanceType<H5wasm['Dataset']>;

/** Writes `root` as a new HDF5 file and returns its bytes. Throws `InvalidArgumentError` for a malformed tree. */
export async function writeH5(root: H5Group): Promise<Uint8Array> {
  validateGroup(root, '/');
  const { bytes } = await withMemoryFile(
    null,
    (filename, h5wasm) => {
      const file = new h5wasm.File(filename, 'w');
      try {
        writeGroup(file, root, '/');
      } catch (cause) {
        throw new InvalidArgumentError({
          argument: 'tree',
          expected: 'a tree HDF5 can store',
          received: summarizeH5Error(cause),
          context: 'writeH5',
        });
      } finally {
        file.close();
      }
    },
    true,
  );
  return bytes!;
}

function writeGroup(handle: InstanceType<H5wasm['Group']>, group: H5Group, path: string): void {
  writeAttributes(handle, group.attrs);
  for (const [name, dataset] of Object.entries(group.datasets)) {
    const created = handle.create_dataset({
      name,
      data: dataset.data,
      shape: dataset.shape,
      dtype: TYPE_CODES[dataset.dtype],
    });
    writeAttributes(created, dataset.attrs);
  }
  for (const [name, child] of Object.entries(group.groups)) {
    const created = handle.create_group(name);
    writeGroup(created, child, path === '/' ? `/${name}` : `${path}/${name}`);
  }
}

function writeAttributes(handle: Handle, attrs: Record<string, H5Attribute>): void {
  for (const [name, attribute] of Object.entries(attrs)) {
    if (attribute.type === 'string') {
      const code = `${attribute.charset === 'utf8' ? 'S' : 'A'}${attribute.length ?? ''}`;
      const value = attribute.shape.length === 0 ? attribute.data[0]! : attribute.data;
      handle.create_attribute(name, value, attribute.shape, code);
    } else {
      handle.create_attribute(name, attribute.data, attribute.shape, TYPE_CODES[attribute.dtype]);
    }
  }
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

function invalid(argument: string, expected: string, received: unknown): InvalidArgumentError {
  return new InvalidArgumentError({ argument, expected, received, context: 'writeH5' });
}

function validateName(name: string, where: string): void {
  if (name.length === 0 || name.includes('/') || name === '.')
    throw invalid(`name in ${where}`, 'a non-empty name without "/"', name);
}

function validateShape(shape: readonly number[], length: number, where: string): void {
  if (!shape.every((dim) => Number.isInteger(dim) && dim >= 0))
    throw invalid(`${where} shape`, 'non-negative integers', shape);
  if (sizeOf(shape) !== length) throw invalid(`${where} shape`, `a shape of ${length} elements`, shape);
}

function validateAttributes(attrs: Record<string, H5Attribute>, where: string): void {
  for (const [name, attribute] of Object.entries(attrs)) {
    validateName(name, where);
    validateShape(attribute.shape, attribute.data.length, `${where}@${name}`);
    if (attribute.type === 'string') {
      if (attribute.data.length === 0) {
        // HDF5 cannot write an empty string array; h5py (and so Keras) stores an empty list as float64 [0].
        throw invalid(
          `${where}@${name}`,
          'at least one string (store an empty list as a float64 [0] attribute)',
          attribute.data,
        );
      }
      if (attribute.length !== null && !(Number.isInteger(attribute.length) && attribute.length > 0)) {
        throw invalid(`${where}@${name} length`, 'null or a positive integer', attribute.length);
      }
      const encoder = new TextEncoder();
      if (attribute.length !== null && attribute.data.some((item) => encoder.encode(item).length > attribute.length!)) {
        throw invalid(`${where}@${name}`, `strings of at most ${attribute.length} bytes`, attribute.data);
      }
    }
  }
}

function validateGroup(group: H5Group, path: string): void {
  validateAttributes(group.attrs, path);
  const names = new Set<string>();
  for (const [name, dataset] of Object.entries(group.datasets)) {
    const where = path === '/' ? `/${name}` : `${path}/${name}`;
    validateName(name, path);
    names.add(name);
    validateShape(dataset.shape, dataset.data.length, where);
    validateAttributes(dataset.attrs, where);
  }
  for (const [name, child] of Object.entries(group.groups)) {
    validateName(name, path);
    if (names.has(name)) throw invalid(`name in ${path}`, 'a name used once, for a group or a dataset', name);
    validateGroup(child, path === '/' ? `/${name}` : `${path}/${name}`);
  }
}
