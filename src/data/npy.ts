/**
 * NumPy's `.npy` format (versions 1 to 3), read into tensors and written from them. The format is a magic
 * string, a Python-literal header (`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`) and the raw
 * array, so a focused reader is shorter than adapting a general one, and it gives typed errors.
 *
 * Read: float32 and float64 keep their type; integers (8 to 64 bits, signed or not) become int32 when every value
 * fits, float64 otherwise; booleans become `bool`. Either byte order; Fortran order is transposed to row-major.
 * Not read: object arrays (pickles), strings, complex and structured dtypes.
 */
import { FileFormatError } from '../io/errors.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

function parseHeader(text: string, file: string): Header {
  const fail = (what: string): never => {
    throw new FileFormatError(`not a readable .npy header (${what}): ${text.trim()}`, { file });
  };
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1] ?? fail('no descr');
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1] ?? fail('no fortran_order');
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1] ?? fail('no shape');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+L?$/.test(s) ? Number.parseInt(s, 10) : fail(`shape entry ${s}`)));
  return { descr, fortranOrder: fortran === 'True', shape };
}

interface Reader {
  bytes: number;
  read(view: DataView, offset: number, little: boolean): number;
  integer: boolean;
  dtype: DType;
}

const READERS: Readonly<Record<string, Reader>> = {
  f4: { bytes: 4, read: (v, o, l) => v.getFloat32(o, l), integer: false, dtype: 'float32' },
  f8: { bytes: 8, read: (v, o, l) => v.getFloat64(o, l), integer: false, dtype: 'float64' },
  i1: { bytes: 1, read: (v, o) => v.getInt8(o), integer: true, dtype: 'int32' },
  u1: { bytes: 1, read: (v, o) => v.getUint8(o), integer: true, dtype: 'int32' },
  i2: { bytes: 2, read: (v, o, l) => v.getInt16(o, l), integer: true, dtype: 'int32' },
  u2: { bytes: 2, read: (v, o, l) => v.getUint16(o, l), integer: true, dtype: 'int32' },
  i4: { bytes: 4, read: (v, o, l) => v.getInt32(o, l), integer: true, dtype: 'int32' },
  u4: { bytes: 4, read: (v, o, l) => v.getUint32(o, l), integer: true, dtype: 'int32' },
  i8: { bytes: 8, read: (v, o, l) => Number(v.getBigInt64(o, l)), integer: true, dtype: 'int32' },
  u8: { bytes: 8, read: (v, o, l) => Number(v.getBigUint64(o, l)), integer: true, dtype: 'int32' },
  b1: { bytes: 1, read: (v, o) => (v.getUint8(o) !== 0 ? 1 : 0), integer: true, dtype: 'bool' },
};

/** Reads a `.npy` file's bytes into a tensor (see the module comment for the dtypes). */
export function parseNpy(source: Uint8Array | ArrayBuffer, file = '<bytes>'): Tensor {
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new FileFormatError('not a .npy file (no \\x93NUMPY magic)', { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new FileFormatError(`unsupported .npy version ${major}.${bytes[7]}`, { file });
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLength > bytes.length) throw new FileFormatError('the header is cut off', { file });
  const header = parseHeader(
    new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength)),
    file,
  );
  const order = header.descr[0]!;
  const reader = READERS[header.descr.slice(1)];
  if (reader === undefined || !'<>|='.includes(order)) {
    throw new FileFormatError(`unsupported dtype '${header.descr}' (float32/64, integers and booleans are read)`, {
      file,
    });
  }
  const little = order !== '>';
  const count = sizeOf(header.shape);
  const dataStart = headerStart + headerLength;
  if (dataStart + count * reader.bytes > bytes.length) {
    throw new FileFormatError(
      `the data is cut off: shape (${header.shape.join(', ')}) needs ${count * reader.bytes} bytes, the file has ${bytes.length - dataStart}`,
      { file },
    );
  }
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = reader.read(view, dataStart + i * reader.bytes, little);
  let dtype = reader.dtype;
  if (dtype === 'int32' && values.some((v) => v < -2147483648 || v > 2147483647)) dtype = 'float64';
  const rowMajor = header.fortranOrder ? fortranToRowMajor(values, header.shape) : values;
  const out = allocate(dtype, count);
  out.set(rowMajor);
  return new Tensor(out, header.shape, dtype);
}

/** Column-major values (first index fastest) laid out row-major. */
function fortranToRowMajor(values: Float64Array, shape: readonly number[]): Float64Array {
  const rank = shape.length;
  const strides = stridesOf(shape);
  const out = new Float64Array(values.length);
  for (let f = 0; f < values.length; f++) {
    let rest = f;
    let index = 0;
    for (let d = 0; d < rank; d++) {
      index += (rest % shape[d]!) * strides[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    out[index] = values[f]!;
  }
  return out;
}

const DESCR: Readonly<Record<DType, string>> = { float32: '<f4', float64: '<f8', int32: '<i4', bool: '|b1' };

/** A tensor as the bytes of a version 1.0 `.npy` file (little-endian, row-major), as `numpy.save` writes it. */
export function toNpy(t: Tensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[t.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Pad with spaces so that the data starts at a multiple of 64 bytes; the header ends in a newline.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const body = new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength);
  const out = new Uint8Array(total + body.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, total);
  return out;
}
