/**
 * `readH5`: HDF5 bytes → an `H5Group` tree (see h5-tree.ts), through h5wasm.
 *
 * Supported: groups; datasets of little-endian integers (8–64 bit) and float32/float64, contiguous or chunked
 * and deflate-compressed; attributes of those numbers and of strings (fixed or variable length, ASCII or UTF-8).
 * Enumerations (h5py's booleans) are read as their integer base type. Links are followed; external links,
 * dangling soft links and named datatypes are left out. A dataset of any other type is a `FileFormatError`; an
 * attribute of any other type is left out (Keras writes none).
 */
import { FileFormatError } from './errors.js';
import { checkH5Heaps } from './h5-heap-check.js';
import type { H5Attribute, H5Dataset, H5Group, H5NumericArray, H5NumericDType } from './h5-tree.js';
import { summarizeH5Error, withMemoryFile, type H5wasm } from './h5wasm.js';
import { maxH5DataBytes } from './limits.js';

export interface ReadOptions {
  /** Names the file in error messages (a path, URL or label); default `<bytes>`. */
  file?: string;
  /** The archive member these bytes are (e.g. `model.weights.h5` in a `.keras` file), for error messages. */
  member?: string;
}

type H5Metadata = InstanceType<H5wasm['Dataset']>['metadata'];

// HDF5 type classes (H5T_class_t).
const INTEGER = 0;
const FLOAT = 1;
const STRING = 3;
const ENUM = 8;
/** Deeper than any real file; guards against hard-link cycles. */
const MAX_DEPTH = 64;

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Where `bytes` hold HDF5's signature, at the first place the format allows it (0, 512, 1024, 2048, ...); -1 if nowhere. */
function findH5Signature(bytes: Uint8Array): number {
  for (let offset = 0; offset + SIGNATURE.length <= bytes.length; offset = offset === 0 ? 512 : offset * 2) {
    if (SIGNATURE.every((byte, i) => bytes[offset + i] === byte)) return offset;
  }
  return -1;
}

/** Whether `bytes` hold HDF5's signature where the format allows it: at 0, 512, 1024, 2048, ... */
export function hasH5Signature(bytes: Uint8Array): boolean {
  return findH5Signature(bytes) !== -1;
}

export function toBytes(source: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

/** Reads a whole HDF5 file into a tree. */
export async function readH5(source: Uint8Array | ArrayBuffer, options: ReadOptions = {}): Promise<H5Group> {
  const where = { file: options.file ?? '<bytes>', member: options.member };
  const bytes = toBytes(source);
  const superblock = findH5Signature(bytes);
  if (superblock === -1) throw new FileFormatError('not an HDF5 file (no HDF5 signature)', where);
  checkH5Heaps(bytes, superblock, where);
  try {
    const { result } = await withMemoryFile(bytes, (filename, h5wasm) => {
      let handle: InstanceType<H5wasm['File']>;
      try {
        handle = new h5wasm.File(filename, 'r');
      } catch (cause) {
        throw new FileFormatError(`cannot open as HDF5, truncated or damaged: ${summarizeH5Error(cause)}`, {
          ...where,
          cause,
        });
      }
      try {
        return new Reader(h5wasm, where, bytes.length).group(handle, '/', 0);
      } finally {
        handle.close();
      }
    });
    return result;
  } catch (cause) {
    // h5wasm throws bare Errors from places no narrower catch covers (closing a damaged file, say).
    if (cause instanceof FileFormatError) throw cause;
    throw new FileFormatError(`cannot read as HDF5, damaged: ${summarizeH5Error(cause)}`, { ...where, cause });
  }
}

class Reader {
  constructor(
    private readonly h5wasm: H5wasm,
    private readonly where: { file: string; member: string | undefined },
    /** The file's size: no dataset or attribute may declare more data than it can hold (see limits.ts). */
    private readonly fileBytes: number,
  ) {}

  /** Refuses a declared size the file cannot hold, before h5wasm allocates it. */
  private checkDeclaredBytes(metadata: H5Metadata, filtered: boolean, path: string): void {
    const declared = metadata.size * metadata.total_size;
    const limit = maxH5DataBytes(this.fileBytes, filtered);
    if (!(declared <= limit)) {
      const shape = `[${(metadata.shape ?? []).join(', ')}]`;
      throw this.fail(
        `declares ${declared} bytes (shape ${shape}) in a ${this.fileBytes}-byte file${filtered ? ' (compressed)' : ''}`,
        path,
      );
    }
  }

  private fail(message: string, path: string, cause?: unknown): FileFormatError {
    if (cause instanceof FileFormatError) return cause;
    const detail = cause === undefined ? '' : `: ${summarizeH5Error(cause)}`;
    return new FileFormatError(`${message}${detail}`, { ...this.where, path, cause });
  }

  group(handle: InstanceType<H5wasm['Group']>, path: string, depth: number): H5Group {
    if (depth > MAX_DEPTH) throw this.fail(`groups nested deeper than ${MAX_DEPTH} (a link cycle?)`, path);
    const result: H5Group = { attrs: this.attributes(handle, path), groups: {}, datasets: {} };
    let keys: string[];
    try {
      keys = handle.keys();
    } catch (cause) {
      throw this.fail('cannot list the group', path, cause);
    }
    for (const key of keys) {
      const childPath = path === '/' ? `/${key}` : `${path}/${key}`;
      let child: ReturnType<typeof handle.get>;
      try {
        child = handle.get(key);
      } catch (cause) {
        throw this.fail('cannot open', childPath, cause);
      }
      if (child instanceof this.h5wasm.Group) result.groups[key] = this.group(child, childPath, depth + 1);
      else if (child instanceof this.h5wasm.Dataset) result.datasets[key] = this.dataset(child, childPath);
    }
    return result;
  }

  private dataset(handle: InstanceType<H5wasm['Dataset']>, path: string): H5Dataset {
    try {
      const metadata = handle.metadata;
      const dtype = this.numericDType(metadata, path);
      if (dtype === undefined)
        throw this.fail(`unsupported dataset type (HDF5 class ${metadata.type}, ${metadata.size} bytes)`, path);
      const shape = metadata.shape ?? [];
      this.checkDeclaredBytes(metadata, handle.filters.length > 0, path);
      const data = toTypedArray(handle.value, dtype);
      return { dtype, shape: [...shape], data, attrs: this.attributes(handle, path) };
    } catch (cause) {
      throw this.fail('cannot read the dataset', path, cause);
    }
  }

  private attributes(
    handle: InstanceType<H5wasm['Group']> | InstanceType<H5wasm['Dataset']>,
    path: string,
  ): Record<string, H5Attribute> {
    const result: Record<string, H5Attribute> = {};
    let attrs: typeof handle.attrs;
    try {
      attrs = handle.attrs;
    } catch (cause) {
      throw this.fail('cannot list the attributes', path, cause);
    }
    // By name: h5wasm's attribute getters read the file, and a damaged one throws from them.
    for (const name of Object.keys(attrs)) {
      try {
        const attribute = attrs[name]!;
        const metadata = attribute.metadata;
        const shape = [...(metadata.shape ?? [])];
        this.checkDeclaredBytes(metadata, false, `${path}@${name}`);
        if (metadata.type === STRING) {
          const value = attribute.value;
          const data = Array.isArray(value) ? value.map(String) : [String(value)];
          result[name] = {
            type: 'string',
            charset: metadata.cset === 1 ? 'utf8' : 'ascii',
            length: metadata.vlen ? null : metadata.size,
            shape,
            data,
          };
          continue;
        }
        const dtype = this.numericDType(metadata, `${path}@${name}`);
        if (dtype === undefined) continue;
        result[name] = { type: 'numeric', dtype, shape, data: toTypedArray(attribute.value, dtype) };
      } catch (cause) {
        throw this.fail(`cannot read attribute '${name}'`, path, cause);
      }
    }
    return result;
  }

  /** The dtype of integer and float types (an enumeration: of its base type); undefined for any other class. */
  private numericDType(metadata: H5Metadata, path: string): H5NumericDType | undefined {
    const { size, signed } = metadata;
    const type = metadata.type === ENUM && metadata.enum_type !== undefined ? metadata.enum_type.type : metadata.type;
    if (type !== INTEGER && type !== FLOAT) return undefined;
    if (!metadata.littleEndian && size > 1) throw this.fail('big-endian numbers are not supported', path);
    if (type === FLOAT) {
      if (size === 4) return 'float32';
      if (size === 8) return 'float64';
      throw this.fail(`float${size * 8} is not supported`, path);
    }
    const bits = size * 8;
    if (![8, 16, 32, 64].includes(bits)) throw this.fail(`int${bits} is not supported`, path);
    return `${signed ? 'int' : 'uint'}${bits}` as H5NumericDType;
  }
}

const CONSTRUCTORS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** h5wasm gives a typed array, or a bare number/bigint for a scalar: always a typed array of `dtype`. */
function toTypedArray(value: unknown, dtype: H5NumericDType): H5NumericArray {
  const Constructor = CONSTRUCTORS[dtype];
  if (value instanceof Constructor) return value;
  if (ArrayBuffer.isView(value)) {
    // An enumeration read through a differently-typed view: reinterpret its bytes.
    return new Constructor(
      value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer,
    ) as H5NumericArray;
  }
  if (dtype === 'int64' || dtype === 'uint64') {
    const items = (Array.isArray(value) ? value : [value]).map((item) => BigInt(item as bigint | number));
    return dtype === 'int64' ? BigInt64Array.from(items) : BigUint64Array.from(items);
  }
  const items = (Array.isArray(value) ? value : [value]).map(Number);
  return (Constructor as Float64ArrayConstructor).from(items) as H5NumericArray;
}
