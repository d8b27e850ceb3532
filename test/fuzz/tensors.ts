/** Generators of tensor-ish inputs: well-formed tensors of small random shapes and dtypes, ragged arrays, junk. */
import fc from 'fast-check';
import { tensor, type DType, type Tensor } from '../../src/index.js';
import { anyNumber, anyValue, finiteNumber } from './values.js';

export const DTYPE_LIST: DType[] = ['float32', 'float64', 'int32', 'bool'];

export interface TensorSpec {
  shape: number[];
  dtype: DType;
  values: number[];
}

/** A tensor spec of rank in [minRank, maxRank], dims in [0, 4]; `finite` false allows NaN and infinities. */
export function tensorSpec(
  minRank = 0,
  maxRank = 4,
  finite = false,
  dims?: readonly (number | null)[],
): fc.Arbitrary<TensorSpec> {
  const shapeArb =
    dims !== undefined
      ? fc.tuple(...dims.map((d) => (d === null ? fc.integer({ min: 0, max: 4 }) : fc.constant(d))))
      : fc.array(fc.integer({ min: 0, max: 4 }), { minLength: minRank, maxLength: maxRank });
  return fc
    .record({
      shape: shapeArb,
      dtype: fc.constantFrom(...DTYPE_LIST),
      finite: finite ? fc.constant(true) : fc.boolean(),
    })
    .chain(({ shape, dtype, finite: f }) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const num =
        dtype === 'bool'
          ? fc.constantFrom(0, 1)
          : dtype === 'int32'
            ? fc.integer({ min: -3, max: 6 })
            : f
              ? finiteNumber
              : anyNumber;
      return fc.array(num, { minLength: size, maxLength: size }).map((values) => ({ shape, dtype, values }));
    });
}

export function toTensor(spec: TensorSpec): Tensor {
  return tensor(spec.values, spec.shape, spec.dtype);
}

/** Whether every value of a spec is finite. */
export const finiteSpec = (s: TensorSpec): boolean => s.values.every(Number.isFinite);

/** A ragged nested array (rows of different lengths) of numbers. */
export const raggedArray: fc.Arbitrary<unknown> = fc.array(
  fc.array(fc.array(fc.double(), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  { minLength: 2, maxLength: 3 },
);

/** What a call might be given as a tensor: a tensor (usually), a ragged or junk value. */
export function tensorInput(
  minRank = 0,
  maxRank = 4,
  dims?: readonly (number | null)[],
): fc.Arbitrary<{ value: unknown; finite: boolean }> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: tensorSpec(minRank, maxRank, false, dims).map((s) => ({ value: toTensor(s), finite: finiteSpec(s) })),
    },
    { weight: 1, arbitrary: raggedArray.map((value) => ({ value, finite: false })) },
    { weight: 1, arbitrary: anyValue.map((value) => ({ value, finite: false })) },
  );
}
