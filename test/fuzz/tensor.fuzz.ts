/**
 * Fuzz: `tensor()`, `zeros`, `fill` with every kind of values, shape and dtype. A result holds exactly the
 * values given (cast to the dtype), in the shape given or inferred.
 */
import fc from 'fast-check';
import { it } from 'vitest';
import { fill, tensor, Tensor, zeros } from '../../src/index.js';
import { FUZZ_SEED, newTally, PROPERTY_MS, reportTally, runCase, snapshot } from './harness.js';
import { raggedArray } from './tensors.js';
import { anyNumber, anyValue, dimension } from './values.js';

const RUNS = Number(process.env.FUZZ_RUNS_SCALE ?? 1);

const valuesArb = fc.oneof(
  fc.array(anyNumber, { maxLength: 12 }),
  fc.array(fc.array(anyNumber, { minLength: 2, maxLength: 2 }), { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 6 }),
  fc.float32Array({ maxLength: 8 }),
  fc.int32Array({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 8 }),
  fc.float64Array({ maxLength: 8 }),
  raggedArray,
  fc.array(anyValue, { maxLength: 4 }),
  anyNumber,
  anyValue,
);
const shapeArb = fc.oneof(fc.constant(undefined), fc.array(dimension, { maxLength: 4 }), anyValue);
const dtypeArb = fc.oneof(fc.constantFrom(undefined, 'float32', 'float64', 'int32', 'bool'), anyValue);

function checkTensor(result: unknown): string | null {
  if (!(result instanceof Tensor)) return 'not a Tensor';
  if (!result.shape.every((d) => Number.isInteger(d) && d >= 0)) return `shape ${result.shape}`;
  if (result.values.length !== result.shape.reduce((a, b) => a * b, 1)) return 'size does not match shape';
  return null;
}

it('tensor(), zeros(), fill(): typed errors or exactly the tensor asked for', () => {
  const t = newTally('tensor()');
  fc.assert(
    fc.property(valuesArb, shapeArb, dtypeArb, (values, shape, dtype) => {
      runCase(
        t,
        `tensor(${typeof values}, ${snapshot(shape)}, ${snapshot(dtype)})`,
        [values, shape, dtype],
        () => tensor(values as never, shape as never, dtype as never),
        {
          names: ['values', 'shape', 'dtype'],
          check: (r) => {
            const problem = checkTensor(r);
            if (problem !== null) return problem;
            // Every element equals the one given, cast to the dtype (float32 rounding, int32 truncation, bool 0/1).
            const flat: unknown[] = ArrayBuffer.isView(values)
              ? Array.from(values as unknown as ArrayLike<number>)
              : [values].flat(Infinity);
            const out = r.values;
            for (let i = 0; i < out.length; i++) {
              const v = Number(flat[i]);
              const want =
                r.dtype === 'bool'
                  ? v !== 0
                    ? 1
                    : 0
                  : r.dtype === 'int32'
                    ? v | 0
                    : r.dtype === 'float32'
                      ? Math.fround(v)
                      : v;
              if (
                !Object.is(out[i], want) &&
                !(Number.isNaN(out[i]) && Number.isNaN(want)) &&
                !(out[i] === 0 && want === 0)
              )
                return `element ${i}: ${out[i]} for ${v}`;
            }
            return null;
          },
        },
      );
    }),
    { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 3000 * RUNS },
  );
  fc.assert(
    fc.property(shapeArb, dtypeArb, anyValue, (shape, dtype, value) => {
      runCase(t, `zeros(${snapshot(shape)})`, [shape, dtype], () => zeros(shape as never, dtype as never), {
        names: ['shape', 'dtype'],
        check: checkTensor,
      });
      runCase(
        t,
        `fill(${snapshot(shape)})`,
        [shape, dtype, value],
        () => fill(shape as never, value as never, dtype as never),
        {
          names: ['shape', 'dtype', 'value'],
          check: (r) =>
            checkTensor(r) ??
            (r.values.every(
              (v) =>
                Object.is(
                  v,
                  r.dtype === 'bool'
                    ? Number(Number(value) !== 0)
                    : r.dtype === 'int32'
                      ? Number(value) | 0
                      : r.dtype === 'float32'
                        ? Math.fround(Number(value))
                        : Number(value),
                ) || v === 0,
            )
              ? null
              : `values ${r.values} for ${String(value)}`),
        },
      );
    }),
    { seed: FUZZ_SEED, interruptAfterTimeLimit: PROPERTY_MS, numRuns: 800 * RUNS },
  );
  reportTally(t);
});
