/**
 * Data types and their storage. `float32` is the default and Keras's; `float64` exists so that gradients can
 * be checked against finite differences in double precision; `int32` holds token ids; `bool` holds masks
 * (one byte per element, 0 or 1).
 */
import { DTypeError, ShapeError } from '../errors.js';

export type DType = 'float32' | 'float64' | 'int32' | 'bool';

export type FloatArray = Float32Array | Float64Array;
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function assertDType(value: unknown, argument = 'dtype', context?: string): DType {
  if (!isDType(value)) {
    throw new DTypeError({ argument, expected: `one of ${DTYPES.join(', ')}`, received: value, context });
  }
  return value;
}

export function isFloatDType(dtype: DType): dtype is 'float32' | 'float64' {
  return dtype === 'float32' || dtype === 'float64';
}

/** A zero-filled buffer of `size` elements for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  // The last line of defence against sizes from bad input (checkShape refuses them earlier, by name).
  if (!Number.isInteger(size) || size < 0 || size > 2 ** 31 - 1) {
    throw new ShapeError({
      argument: 'size',
      expected: 'a tensor of at most 2147483647 elements',
      received: size,
      context: 'allocate',
    });
  }
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** The dtype whose storage `values` is. */
export function dtypeOfArray(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

/** The float dtype two float operands compute in: float64 only if both are float64. */
export function resultFloatDType(a: DType, b: DType): 'float32' | 'float64' {
  return a === 'float64' && b === 'float64' ? 'float64' : 'float32';
}
