/** Generators of bad (and some good) values, shared by the fuzz suites. */
import fc from 'fast-check';

/** Values that break naive checks: wrong types, NaN, infinities, negatives, fractions, huge sizes, odd objects. */
export const nastyConstants: readonly unknown[] = [
  undefined,
  null,
  NaN,
  Infinity,
  -Infinity,
  -1,
  0,
  -0,
  0.5,
  1.5,
  -7,
  2 ** 31,
  2 ** 40,
  1e12,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  '',
  'x',
  'tanh',
  'zeros',
  '3',
  'relu',
  'NaN',
  true,
  false,
  [],
  [1, 2],
  [NaN],
  [[1], [2, 3]],
  {},
  { a: 1 },
  { className: 'Nope' },
  { class_name: 'Zeros', config: {} },
  { class_name: 'L2', config: { l2: -1 } },
  { class_name: 'NoSuchThing', config: {} },
  { class_name: 1 },
  () => 0,
  1n,
  new Date(0),
  new Map(),
  new Float32Array(2),
  new Int32Array([1, -1]),
  Object.create(null),
];

export const nasty: fc.Arbitrary<unknown> = fc.constantFrom(...nastyConstants);

/** A value of any sort: mostly nasty constants, sometimes random JSON-ish or any value. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: nasty },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer({ min: -10, max: 10 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 3 }) },
);

/** A small dimension, or a bad one. */
export const dimension: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 4 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-1, 1.5, NaN, Infinity, 2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER, null, '2'),
  },
);

/** Finite numbers of every magnitude float32 holds (and some it does not). */
export const finiteNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.double({ min: -1e30, max: 1e30, noNaN: true }),
  fc.constantFrom(0, -0, 1e-45, 3.4e38, -3.4e38, 1e-30),
);

/** Any number, NaN and the infinities included. */
export const anyNumber: fc.Arbitrary<number> = fc.oneof(finiteNumber, fc.constantFrom(NaN, Infinity, -Infinity));

/**
 * An options object derived from `valid`: some keys replaced by generated values, some deleted, some unknown keys
 * added. Returns the options and the keys changed (the argument a typed error must name).
 */
export function mutatedOptions(
  valid: Record<string, unknown>,
  keys: readonly string[],
): fc.Arbitrary<{ options: Record<string, unknown>; changed: string[] }> {
  return fc
    .record({
      replace: fc.uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: 2 }),
      values: fc.array(anyValue, { minLength: 2, maxLength: 2 }),
    })
    .map(({ replace, values }) => {
      const options: Record<string, unknown> = { ...valid };
      replace.forEach((k, i) => {
        options[k] = values[i];
      });
      return { options, changed: replace };
    });
}
