/** `.npy` files: bytes laid out as numpy.save writes them (header checked by hand), dtypes, orders and errors. */
import { describe, expect, it } from 'vitest';
import { FileFormatError, parseNpy, tensor, toNpy } from '../../src/index.js';
import { expectError } from '../helpers/errors.js';

/** A .npy file from a header and little-endian data, as NumPy lays it out. */
function npy(header: string, data: ArrayBufferView, major = 1): Uint8Array {
  const prefix = major === 1 ? 10 : 12;
  const padded = header.padEnd(Math.ceil((prefix + header.length + 1) / 64) * 64 - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(prefix + padded.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), prefix);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), prefix + padded.length);
  return out;
}

describe('parseNpy / toNpy', () => {
  it('reads float32, float64, int and bool arrays with their shapes', () => {
    const f = parseNpy(
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Float32Array.of(1, 2, 3, 4, 5, 6.5)),
    );
    expect(f.dtype).toBe('float32');
    expect(f.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6.5],
    ]);
    expect(
      parseNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", Float64Array.of(0.1, -2))).dataSync(),
    ).toEqual(Float64Array.of(0.1, -2));
    const i8 = parseNpy(
      npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", BigInt64Array.of(1n, -2n, 3n)),
    );
    expect(i8.dtype).toBe('int32');
    expect([...i8.dataSync()]).toEqual([1, -2, 3]);
    expect(
      parseNpy(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", BigInt64Array.of(2n ** 40n))).dtype,
    ).toBe('float64');
    expect(
      parseNpy(npy("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", Uint8Array.of(0, 1))).arraySync(),
    ).toEqual([false, true]);
    expect(parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", Float32Array.of(7))).shape).toEqual(
      [],
    );
  });

  it('reads big-endian data, version 2 headers and Fortran order', () => {
    const be = new DataView(new ArrayBuffer(8));
    be.setFloat32(0, 1.5, false);
    be.setFloat32(4, -3, false);
    expect([...parseNpy(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", be)).dataSync()]).toEqual([
      1.5, -3,
    ]);
    expect([
      ...parseNpy(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", Int32Array.of(9), 2)).dataSync(),
    ]).toEqual([9]);
    // Column-major [[1, 2, 3], [4, 5, 6]] is stored 1, 4, 2, 5, 3, 6.
    const f = parseNpy(
      npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", Float32Array.of(1, 4, 2, 5, 3, 6)),
    );
    expect(f.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('writes what numpy.save writes: a 64-byte aligned v1.0 header, and reads it back', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    const bytes = toNpy(t);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + new DataView(bytes.buffer).getUint16(8, true)));
    expect(header.trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }");
    expect(header.endsWith('\n')).toBe(true);
    // 10 + 60 header characters + newline, aligned to 64: the data starts at byte 128.
    expect(bytes.length).toBe(128 + 16);
    expect(new TextDecoder().decode(toNpy(tensor([1, 2, 3])))).toContain("'shape': (3,), }");
    expect(parseNpy(bytes).arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('typed errors for a file that is not .npy, an unsupported dtype, a cut-off body', () => {
    expectError(() => parseNpy(new Uint8Array(20), 'x.npy'), FileFormatError, 'x.npy', 'not a .npy file');
    expectError(
      () => parseNpy(npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", Uint8Array.of(0))),
      FileFormatError,
      "unsupported dtype '|O'",
    );
    expectError(
      () => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", Float32Array.of(1))),
      FileFormatError,
      'cut off',
    );
  });
});
