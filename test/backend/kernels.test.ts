/**
 * Every kernel of every backend against the reference backend (the definition), on awkward shapes: sizes that
 * are not a multiple of the SIMD width (I=3, U=5, U=1), batch 1, one time step, masks with holes,
 * goBackwards, zeroOutputForMask, both resetAfter conventions, hard_sigmoid, relu and linear.
 * Tolerances: forward results within 1e-6 absolute (inputs scaled so results are O(1)); gradients within 1e-5
 * relative to the largest reference value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardSigmoidFn, linearFn, reluScalarFn, sigmoidFn, tanhFn } from '../../src/activations/elementwise.js';
import type { Backend, GruSequenceArgs, ScalarActivation } from '../../src/backend/backend.js';
import { nativeAvailable, nativeBackend, useNativeInstructionSet } from '../../src/backend/native/index.js';
import { referenceBackend } from '../../src/backend/reference/index.js';
import { wasmBackend } from '../../src/backend/wasm/index.js';
import { kernels } from '../../src/backend/wasm/instance.js';
import { Random } from '../../src/random/rng.js';

/**
 * The native backend (where its addon is built) once per instruction set this CPU has: each set is its own
 * compilation of the kernels (native/dispatch.cc), with its own vector width and tails.
 */
const nativeSets = nativeAvailable()
  ? [...new Set(['avx512', 'avx2', 'generic'].map((isa) => useNativeInstructionSet(isa)!))]
  : [];
useNativeInstructionSet('');
if (nativeSets.length === 0) it.skip('native backend kernels: the native addon is not built (npm run build:native)');
const backends: [string, Backend, string | null][] = [
  ['reference', referenceBackend, null],
  ['wasm', wasmBackend, null],
  ...nativeSets.map((isa): [string, Backend, string] => [`native ${isa}`, nativeBackend, isa]),
];

const scalar = (f: {
  name: string;
  f: (x: number) => number;
  df: (x: number, y: number) => number;
}): ScalarActivation => ({
  name: f.name,
  fn: f.f,
  df: f.df,
});

function fill(rng: Random, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** max |a − b| / max |b|. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-30;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  return maxAbsDiff(a, b) / scale;
}

it('the WASM kernels are available on this Node (WebAssembly SIMD)', () => {
  expect(kernels()).not.toBeNull();
});

describe.each(backends)('%s backend', (_name, backend, isa) => {
  if (isa !== null) {
    beforeAll(() => {
      expect(useNativeInstructionSet(isa)).toBe(isa);
    });
    afterAll(() => useNativeInstructionSet(''));
  }

  describe('matMul', () => {
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [1, 7, 5],
      [3, 5, 2],
      [4, 8, 8],
      [5, 3, 9],
      [13, 17, 11],
      [33, 70, 19],
      [70, 300, 41],
      [2, 600, 3],
    ];
    for (const [m, k, n] of shapes) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          it(`m=${m} k=${k} n=${n} transposeA=${transposeA} transposeB=${transposeB}`, () => {
            const rng = new Random(m * 1000 + k * 10 + n);
            // Entries of size 1/√k keep the products O(1), so the absolute tolerance means something.
            const a = fill(rng, m * k, 1 / Math.sqrt(k));
            const b = fill(rng, k * n);
            const expected = new Float32Array(m * n);
            const actual = new Float32Array(m * n).fill(Number.NaN);
            referenceBackend.matMul({ a, b, out: expected, m, k, n, transposeA, transposeB });
            backend.matMul({ a, b, out: actual, m, k, n, transposeA, transposeB });
            expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-6);
          });
        }
      }
    }

    it('k = 0 gives zeros; float64 operands give the reference result exactly', () => {
      const out = new Float32Array(6).fill(7);
      backend.matMul({
        a: new Float32Array(0),
        b: new Float32Array(0),
        out,
        m: 2,
        k: 0,
        n: 3,
        transposeA: false,
        transposeB: false,
      });
      expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
      const rng = new Random(5);
      const a = Float64Array.from(fill(rng, 15));
      const b = Float64Array.from(fill(rng, 10));
      const expected = new Float64Array(6);
      const actual = new Float64Array(6);
      referenceBackend.matMul({ a, b, out: expected, m: 3, k: 5, n: 2, transposeA: false, transposeB: true });
      backend.matMul({ a, b, out: actual, m: 3, k: 5, n: 2, transposeA: false, transposeB: true });
      expect(Array.from(actual)).toEqual(Array.from(expected));
    });
  });

  interface Case {
    name: string;
    B: number;
    T: number;
    I: number;
    U: number;
    resetAfter: boolean;
    goBackwards?: boolean;
    mask?: 'holes';
    zeroOutputForMask?: boolean;
    returnSequences?: boolean;
    useBias?: boolean;
    recurrentBias?: boolean;
    activation?: ScalarActivation;
    recurrentActivation?: ScalarActivation;
  }

  const cases: Case[] = [
    { name: 'I=3 U=5, resetAfter', B: 2, T: 4, I: 3, U: 5, resetAfter: true },
    { name: 'I=3 U=5, resetAfter=false', B: 2, T: 4, I: 3, U: 5, resetAfter: false },
    { name: 'U=1', B: 3, T: 5, I: 2, U: 1, resetAfter: true },
    { name: 'U=1, resetAfter=false', B: 3, T: 5, I: 2, U: 1, resetAfter: false },
    { name: 'B=1 T=1', B: 1, T: 1, I: 7, U: 9, resetAfter: true },
    { name: 'B=1 T=1, resetAfter=false', B: 1, T: 1, I: 7, U: 9, resetAfter: false, returnSequences: false },
    { name: 'B=1, long-ish', B: 1, T: 40, I: 5, U: 13, resetAfter: true },
    { name: 'masks with holes', B: 5, T: 7, I: 3, U: 6, resetAfter: true, mask: 'holes' },
    { name: 'masks with holes, resetAfter=false', B: 5, T: 7, I: 3, U: 6, resetAfter: false, mask: 'holes' },
    { name: 'goBackwards with holes', B: 5, T: 7, I: 4, U: 5, resetAfter: true, mask: 'holes', goBackwards: true },
    { name: 'goBackwards, resetAfter=false', B: 3, T: 6, I: 4, U: 5, resetAfter: false, goBackwards: true },
    { name: 'zeroOutputForMask', B: 5, T: 7, I: 3, U: 5, resetAfter: true, mask: 'holes', zeroOutputForMask: true },
    {
      name: 'zeroOutputForMask, backwards, resetAfter=false',
      B: 5,
      T: 7,
      I: 3,
      U: 5,
      resetAfter: false,
      mask: 'holes',
      zeroOutputForMask: true,
      goBackwards: true,
    },
    { name: 'last output only', B: 4, T: 6, I: 3, U: 5, resetAfter: true, mask: 'holes', returnSequences: false },
    { name: 'no bias', B: 2, T: 5, I: 3, U: 5, resetAfter: true, useBias: false },
    { name: 'resetAfter without recurrent bias', B: 2, T: 5, I: 3, U: 5, resetAfter: true, recurrentBias: false },
    {
      name: 'hard_sigmoid (Keras 3)',
      B: 3,
      T: 6,
      I: 4,
      U: 7,
      resetAfter: false,
      recurrentActivation: scalar(hardSigmoidFn),
    },
    {
      name: 'hard_sigmoid + relu',
      B: 3,
      T: 6,
      I: 4,
      U: 7,
      resetAfter: true,
      recurrentActivation: scalar(hardSigmoidFn),
      activation: scalar(reluScalarFn),
    },
    { name: 'linear activation', B: 2, T: 5, I: 3, U: 5, resetAfter: false, activation: scalar(linearFn) },
    { name: 'multiple of 8: I=16 U=16 B=8', B: 8, T: 9, I: 16, U: 16, resetAfter: true, mask: 'holes' },
    { name: 'wide: I=33 U=67 B=6', B: 6, T: 5, I: 33, U: 67, resetAfter: true },
    { name: 'wide: I=33 U=67 B=6, resetAfter=false', B: 6, T: 5, I: 33, U: 67, resetAfter: false, mask: 'holes' },
    { name: 'blocked K: I=300 U=259 B=5', B: 5, T: 3, I: 300, U: 259, resetAfter: true, mask: 'holes' },
    { name: 'blocked K: I=300 U=259 B=2, resetAfter=false', B: 2, T: 3, I: 300, U: 259, resetAfter: false },
  ];

  function makeArgs(c: Case, seed: number): GruSequenceArgs {
    const rng = new Random(seed);
    const G = 3 * c.U;
    const wScale = 1 / Math.sqrt(c.I + c.U);
    let mask: Uint8Array | null = null;
    if (c.mask === 'holes') {
      mask = new Uint8Array(c.B * c.T);
      // Row 0 all ones, row 1 starts masked, the rest random holes.
      for (let b = 0; b < c.B; b++)
        for (let t = 0; t < c.T; t++)
          mask[b * c.T + t] = b === 0 ? 1 : b === 1 ? (t < 2 ? 0 : 1) : rng.uniform() < 0.6 ? 1 : 0;
    }
    return {
      batch: c.B,
      steps: c.T,
      inputDim: c.I,
      units: c.U,
      x: fill(rng, c.B * c.T * c.I),
      kernel: fill(rng, c.I * G, 2 * wScale),
      recurrentKernel: fill(rng, c.U * G, 2 * wScale),
      inputBias: c.useBias === false ? null : fill(rng, G, 0.3),
      recurrentBias: c.useBias === false || !c.resetAfter || c.recurrentBias === false ? null : fill(rng, G, 0.3),
      h0: fill(rng, c.B * c.U, 0.8),
      mask,
      resetAfter: c.resetAfter,
      goBackwards: c.goBackwards ?? false,
      returnSequences: c.returnSequences ?? true,
      zeroOutputForMask: c.zeroOutputForMask ?? false,
      activation: c.activation ?? scalar(tanhFn),
      recurrentActivation: c.recurrentActivation ?? scalar(sigmoidFn),
      saveForBackward: true,
    };
  }

  describe.each(cases.map((c) => [c.name, c] as const))('GRU sequence: %s', (_n, c) => {
    const args = makeArgs(c, c.B * 100 + c.T * 10 + c.U);
    const expected = referenceBackend.gruSequence(args);

    it('forward matches the reference within 1e-6', () => {
      const actual = backend.gruSequence(args);
      if (expected.outputs === null) expect(actual.outputs).toBeNull();
      else expect(maxAbsDiff(actual.outputs!, expected.outputs)).toBeLessThan(1e-6);
      expect(maxAbsDiff(actual.lastOutput, expected.lastOutput)).toBeLessThan(1e-6);
      expect(maxAbsDiff(actual.state, expected.state)).toBeLessThan(1e-6);
      expect(actual.cache?.backend).toBe(backend.name);
    });

    it('forward without saveForBackward gives the same numbers and no cache', () => {
      const withCache = backend.gruSequence(args);
      const plain = backend.gruSequence({ ...args, saveForBackward: false });
      expect(plain.cache).toBeNull();
      expect(Array.from(plain.state)).toEqual(Array.from(withCache.state));
      expect(Array.from(plain.lastOutput)).toEqual(Array.from(withCache.lastOutput));
    });

    it('backward matches the reference within 1e-5 relative', () => {
      const rng = new Random(99);
      const { B, T, U } = c;
      const grads = {
        dOutputs: args.returnSequences ? fill(rng, B * T * U) : null,
        dLastOutput: fill(rng, B * U),
        dState: fill(rng, B * U),
      };
      const want = referenceBackend.gruSequenceBackward({ forward: args, cache: expected.cache!, ...grads });
      const got = backend.gruSequenceBackward({ forward: args, cache: backend.gruSequence(args).cache!, ...grads });
      expect(relDiff(got.dx, want.dx)).toBeLessThan(1e-5);
      expect(relDiff(got.dKernel, want.dKernel)).toBeLessThan(1e-5);
      expect(relDiff(got.dRecurrentKernel, want.dRecurrentKernel)).toBeLessThan(1e-5);
      expect(relDiff(got.dh0, want.dh0)).toBeLessThan(1e-5);
      if (want.dInputBias === null) expect(got.dInputBias).toBeNull();
      else expect(relDiff(got.dInputBias!, want.dInputBias)).toBeLessThan(1e-5);
      if (want.dRecurrentBias === null) expect(got.dRecurrentBias).toBeNull();
      else expect(relDiff(got.dRecurrentBias!, want.dRecurrentBias)).toBeLessThan(1e-5);
    });

    it('backward with only some output gradients (nulls are zeros)', () => {
      const rng = new Random(7);
      const dLastOutput = fill(rng, c.B * c.U);
      const want = referenceBackend.gruSequenceBackward({
        forward: args,
        cache: expected.cache!,
        dOutputs: null,
        dLastOutput,
        dState: null,
      });
      const got = backend.gruSequenceBackward({
        forward: args,
        cache: backend.gruSequence(args).cache!,
        dOutputs: null,
        dLastOutput,
        dState: null,
      });
      expect(relDiff(got.dx, want.dx)).toBeLessThan(1e-5);
      expect(relDiff(got.dRecurrentKernel, want.dRecurrentKernel)).toBeLessThan(1e-5);
      expect(relDiff(got.dh0, want.dh0)).toBeLessThan(1e-5);
    });
  });
});
