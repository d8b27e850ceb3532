/**
 * What is particular to the WASM backend: loading and the default choice, the native activations (accuracy
 * against the float64 definitions, and which functions count as native), delegation to the reference backend,
 * and the memory it keeps between calls (packed weights, forward caches, the reused workspace).
 */
import { describe, expect, it } from 'vitest';
import {
  hardSigmoidFn,
  hardSigmoidKeras2Fn,
  linearFn,
  reluFn,
  reluScalarFn,
  sigmoidFn,
  softplusFn,
  tanhFn,
} from '../../src/activations/elementwise.js';
import { getActivation, type ActivationName } from '../../src/activations/index.js';
import type { GruSequenceArgs, ScalarActivation } from '../../src/backend/backend.js';
import { nativeAvailable } from '../../src/backend/native/index.js';
import { referenceBackend } from '../../src/backend/reference/index.js';
import { getBackend, listBackends, ready as publicReady, setBackend } from '../../src/backend/registry.js';
import {
  activationKind,
  ACT_HARD_SIGMOID,
  ACT_LINEAR,
  ACT_RELU,
  ACT_SIGMOID,
  ACT_TANH,
} from '../../src/backend/wasm/activations.js';
import { CacheStore } from '../../src/backend/wasm/cache.js';
import { simdSupported, wasmBackend } from '../../src/backend/wasm/index.js';
import { WasmAbort, kernels, ready } from '../../src/backend/wasm/instance.js';
import { checkBlock } from '../../src/backend/wasm/memory.js';
import * as params from '../../src/backend/wasm/params.js';
import { readFileSync } from 'node:fs';
import { wasmState } from '../../src/backend/wasm/state.js';
import { WeightCache, type Packing as WeightPacking } from '../../src/backend/wasm/weights.js';
import { Random } from '../../src/random/rng.js';
import { fixtureNames, loadFixture } from '../helpers/fixtures.js';

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

function gruArgs(seed: number, B = 3, T = 5, I = 4, U = 6): GruSequenceArgs {
  const rng = new Random(seed);
  return {
    batch: B,
    steps: T,
    inputDim: I,
    units: U,
    x: fill(rng, B * T * I),
    kernel: fill(rng, I * 3 * U, 0.5),
    recurrentKernel: fill(rng, U * 3 * U, 0.5),
    inputBias: fill(rng, 3 * U, 0.2),
    recurrentBias: fill(rng, 3 * U, 0.2),
    h0: fill(rng, B * U, 0.5),
    mask: null,
    resetAfter: true,
    goBackwards: false,
    returnSequences: true,
    zeroOutputForMask: false,
    activation: scalar(tanhFn),
    recurrentActivation: scalar(sigmoidFn),
    saveForBackward: true,
  };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
};

describe('loading', () => {
  it('detects WebAssembly SIMD, instantiates synchronously, and ready() resolves true', async () => {
    expect(simdSupported()).toBe(true);
    expect(kernels()).not.toBeNull();
    await expect(ready()).resolves.toBe(true);
    await expect(publicReady()).resolves.toBe(true);
  });

  it('is the default backend where SIMD exists (and no native addon is built); setBackend still selects the reference', () => {
    expect(listBackends()).toEqual(expect.arrayContaining(['reference', 'wasm']));
    expect(getBackend().name).toBe(nativeAvailable() ? 'native' : 'wasm');
    setBackend('reference');
    expect(getBackend().name).toBe('reference');
    setBackend('wasm');
    expect(getBackend()).toBe(wasmBackend);
  });
});

it('the host writes the parameter slots the kernels read', () => {
  const layout = readFileSync(new URL('../../src/backend/wasm/assembly/gru-layout.ts', import.meta.url), 'utf8');
  const kernelSide = new Map(
    [...layout.matchAll(/^export const ([A-Z_0-9]+) = (\d+);/gm)].map((m) => [m[1]!, Number(m[2])]),
  );
  const hostSide = new Map<string, number>();
  const groups = { P_: params.P, F_: params.F, K_: params.K, '': params.FLAG } as Record<
    string,
    Record<string, number>
  >;
  for (const [prefix, slots] of Object.entries(groups))
    for (const [name, slot] of Object.entries(slots)) hostSide.set(prefix + name, slot);
  expect(Object.fromEntries(kernelSide)).toEqual(Object.fromEntries(hostSide));
});

describe('native activations', () => {
  const definitions: [number, (x: number) => number][] = [
    [ACT_SIGMOID, sigmoidFn.f],
    [ACT_TANH, Math.tanh],
    [ACT_HARD_SIGMOID, hardSigmoidFn.f],
    [ACT_RELU, reluScalarFn.f],
    [ACT_LINEAR, linearFn.f],
  ];

  /** Runs the kernel's activation `kind` on float32 inputs. */
  function native(kind: number, xs: Float32Array): Float32Array {
    const k = kernels()!;
    const n = Math.ceil(xs.length / 4) * 4;
    const src = k.exports.alloc(4 * n);
    const dst = k.exports.alloc(4 * n);
    k.f32.fill(0, src >> 2, (src >> 2) + n);
    k.f32.set(xs, src >> 2);
    k.exports.activateInto(kind, src, dst, n);
    const out = k.f32.slice(dst >> 2, (dst >> 2) + xs.length);
    k.exports.free(src);
    k.exports.free(dst);
    return out;
  }

  it.each(definitions)(
    'kind %i is within 1e-7 relative of the float64 definition (normal-range outputs)',
    (kind, f) => {
      for (const [lo, hi] of [
        [-1e-3, 1e-3],
        [-1, 1],
        [-12, 12],
        [-120, 120],
      ] as const) {
        const n = 1 << 16;
        const xs = Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
        const ys = native(kind, xs);
        let worst = 0;
        xs.forEach((x, i) => {
          const want = f(x);
          if (Math.abs(want) < 1.2e-38) return expect(Math.abs(ys[i]! - want)).toBeLessThan(1.2e-38);
          worst = Math.max(worst, Math.abs(ys[i]! - want) / Math.abs(want));
        });
        expect(worst).toBeLessThan(1e-7);
      }
    },
  );

  it('handles NaN, infinities, signed zeros and huge inputs as the definitions do', () => {
    const xs = Float32Array.from([
      Number.NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      1e-40,
      -1e-40,
      88,
      -88,
      200,
      -200,
      1e30,
      -1e30,
    ]);
    for (const [kind, f] of definitions) {
      const ys = native(kind, xs);
      xs.forEach((x, i) => {
        const want = Math.fround(f(x));
        if (Number.isNaN(want)) expect(ys[i]).toBeNaN();
        else if (!Number.isFinite(want)) expect(ys[i]).toBe(want);
        else expect(Math.abs(ys[i]! - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-7 + 1e-44);
      });
    }
  });

  it('recognizes the GRU activations by behaviour, not by name', () => {
    expect(activationKind(scalar(sigmoidFn))).toBe(ACT_SIGMOID);
    expect(activationKind(scalar(tanhFn))).toBe(ACT_TANH);
    expect(activationKind(scalar(hardSigmoidFn))).toBe(ACT_HARD_SIGMOID);
    expect(activationKind(scalar(reluScalarFn))).toBe(ACT_RELU);
    expect(activationKind(scalar(reluFn()))).toBe(ACT_RELU);
    expect(activationKind(scalar(linearFn))).toBe(ACT_LINEAR);
    // Same names, other functions: Keras 2's hard_sigmoid, parameterized relus, an impostor.
    expect(activationKind(scalar(hardSigmoidKeras2Fn))).toBe(-1);
    expect(activationKind(scalar(reluFn(0.1)))).toBe(-1);
    expect(activationKind(scalar(reluFn(0, 6)))).toBe(-1);
    expect(activationKind(scalar(reluFn(0, null, 0.5)))).toBe(-1);
    expect(activationKind({ name: 'tanh', fn: (x) => Math.tanh(2 * x), df: tanhFn.df })).toBe(-1);
    expect(activationKind({ name: 'sigmoid', fn: sigmoidFn.f, df: () => 0.25 })).toBe(-1);
    expect(activationKind(scalar(softplusFn))).toBe(-1);
  });

  it('covers the activations of every Keras golden fixture (so those run natively)', () => {
    for (const name of [...fixtureNames('fwd-'), ...fixtureNames('grad-')]) {
      const config = loadFixture(name).keras_config;
      for (const key of ['activation', 'recurrent_activation']) {
        const a = getActivation(config[key] as ActivationName);
        expect(a.scalar, `${name} ${key}`).not.toBeNull();
        expect(
          activationKind({ name: a.name, fn: a.scalar!.f, df: a.scalar!.df }),
          `${name} ${key}`,
        ).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('delegation to the reference backend', () => {
  it('float64 inputs run on the reference kernels (same numbers, reference cache)', () => {
    const a = gruArgs(1);
    const f64: GruSequenceArgs = {
      ...a,
      x: Float64Array.from(a.x),
      kernel: Float64Array.from(a.kernel),
      recurrentKernel: Float64Array.from(a.recurrentKernel),
      inputBias: Float64Array.from(a.inputBias!),
      recurrentBias: Float64Array.from(a.recurrentBias!),
      h0: Float64Array.from(a.h0),
    };
    const want = referenceBackend.gruSequence(f64);
    const got = wasmBackend.gruSequence(f64);
    expect(got.cache?.backend).toBe('reference');
    expect(Array.from(got.outputs!)).toEqual(Array.from(want.outputs!));
    const dState = new Float64Array(a.batch * a.units).fill(1);
    const gWant = referenceBackend.gruSequenceBackward({
      forward: f64,
      cache: want.cache!,
      dOutputs: null,
      dLastOutput: null,
      dState,
    });
    const gGot = wasmBackend.gruSequenceBackward({
      forward: f64,
      cache: got.cache!,
      dOutputs: null,
      dLastOutput: null,
      dState,
    });
    expect(Array.from(gGot.dRecurrentKernel)).toEqual(Array.from(gWant.dRecurrentKernel));
  });

  it('activations without a native kernel run on the reference kernels', () => {
    const a = { ...gruArgs(2), recurrentActivation: scalar(hardSigmoidKeras2Fn), activation: scalar(softplusFn) };
    const want = referenceBackend.gruSequence(a);
    const got = wasmBackend.gruSequence(a);
    expect(got.cache?.backend).toBe('reference');
    expect(Array.from(got.state)).toEqual(Array.from(want.state));
  });
});

describe('memory kept between calls', () => {
  it('refuses blocks the allocator cannot serve (the call is then delegated) instead of wrapping sizes', () => {
    expect(() => checkBlock(2 ** 31)).toThrow(WasmAbort);
    expect(() => checkBlock(2 ** 32 + 64)).toThrow(WasmAbort);
    expect(() => checkBlock(Number.NaN)).toThrow(WasmAbort);
    expect(() => checkBlock(1 << 20)).not.toThrow();
  });

  it('repacks weights that were changed in place (the identity cache checks samples)', () => {
    const a = gruArgs(3);
    wasmBackend.gruSequence(a);
    for (let i = 0; i < a.kernel.length; i++) a.kernel[i] = -a.kernel[i]!;
    for (let i = 0; i < a.recurrentKernel.length; i++) a.recurrentKernel[i] = a.recurrentKernel[i]! * 0.5;
    const got = wasmBackend.gruSequence(a);
    const want = referenceBackend.gruSequence(a);
    expect(maxAbsDiff(got.outputs!, want.outputs!)).toBeLessThan(1e-6);
  });

  it('a subarray view of a larger buffer is packed from its own elements', () => {
    const a = gruArgs(4);
    const G = 3 * a.units;
    const both = new Float32Array(2 * G);
    both.set(a.inputBias!, 0);
    both.set(a.recurrentBias!, G);
    const viewed = { ...a, inputBias: both.subarray(0, G), recurrentBias: both.subarray(G) };
    expect(maxAbsDiff(wasmBackend.gruSequence(viewed).state, referenceBackend.gruSequence(a).state)).toBeLessThan(1e-6);
  });

  it('steady-state calls neither grow the memory nor the workspace', () => {
    const a = { ...gruArgs(5, 1, 1, 32, 128), returnSequences: false, saveForBackward: false };
    wasmBackend.gruSequence(a);
    const s = wasmState()!;
    const pages = s.k.exports.memory.buffer.byteLength;
    const capacity = s.ws.capacityBytes;
    const packed = s.weights.bytes;
    for (let i = 0; i < 200; i++) wasmBackend.gruSequence(a);
    expect(s.k.exports.memory.buffer.byteLength).toBe(pages);
    expect(s.ws.capacityBytes).toBe(capacity);
    expect(s.weights.bytes).toBe(packed);
  });

  it("drops packed weights unused for 64 calls when new ones are packed, so a training loop's do not pile up", () => {
    // Weights a training loop has replaced are garbage, but V8 clears the cache's weak references only in a full
    // collection; kept alive here, only the idle rule can free their entries.
    const cache = new WeightCache(kernels()!);
    const copy: WeightPacking = { name: 'copy', bytes: (K, U) => 4 * K * U, pack: () => {} };
    const steady = new Float32Array(96).fill(1); // used on every call, as a streaming layer's weights
    const replaced: Float32Array[] = [];
    const first = cache.get(steady, copy, 4, 24);
    for (let call = 0; call < 1000; call++) {
      cache.beginCall();
      expect(cache.get(steady, copy, 4, 24)).toBe(first); // never repacked
      replaced.push(new Float32Array(96).fill(call));
      cache.get(replaced[call]!, copy, 4, 24);
    }
    // The steady entry and the last 65 calls' entries (the current one included), 384 bytes each.
    expect(cache.bytes).toBe(66 * 384);
    cache.clear();
    expect(cache.bytes).toBe(0);
  });

  it('forward caches past the limit are released, oldest first', () => {
    const k = kernels()!;
    const store = new CacheStore(k, 1000);
    const blocks = [{}, {}, {}].map((owner) => store.create(owner, 400));
    // The third block pushed the total past 1000 bytes: the oldest was released.
    expect(blocks.map((b) => b.ptr !== 0)).toEqual([false, true, true]);
    expect(store.bytes).toBe(800);
    store.release(blocks[1]!);
    store.release(blocks[1]!); // idempotent
    expect(store.bytes).toBe(400);
  });

  it('training steps release their caches: memory stays flat', () => {
    const s = wasmState()!;
    const a = gruArgs(20, 4, 6, 5, 7);
    const dState = new Float32Array(a.batch * a.units).fill(1);
    for (let i = 0; i < 3; i++) {
      const r = wasmBackend.gruSequence(a);
      wasmBackend.gruSequenceBackward({ forward: a, cache: r.cache!, dOutputs: null, dLastOutput: null, dState });
    }
    const live = s.caches.bytes;
    const pages = s.k.exports.memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) {
      const r = wasmBackend.gruSequence(a);
      wasmBackend.gruSequenceBackward({ forward: a, cache: r.cache!, dOutputs: null, dLastOutput: null, dState });
    }
    expect(s.caches.bytes).toBe(live);
    expect(s.k.exports.memory.buffer.byteLength).toBe(pages);
  });

  it('backward after many forward calls still uses the right cache', () => {
    const a = gruArgs(6);
    const first = wasmBackend.gruSequence(a);
    for (let i = 0; i < 5; i++) wasmBackend.gruSequence({ ...gruArgs(7 + i), saveForBackward: true });
    const dState = new Float32Array(a.batch * a.units).fill(1);
    const got = wasmBackend.gruSequenceBackward({
      forward: a,
      cache: first.cache!,
      dOutputs: null,
      dLastOutput: null,
      dState,
    });
    const ref = referenceBackend.gruSequence(a);
    const want = referenceBackend.gruSequenceBackward({
      forward: a,
      cache: ref.cache!,
      dOutputs: null,
      dLastOutput: null,
      dState,
    });
    expect(maxAbsDiff(got.dKernel, want.dKernel)).toBeLessThan(1e-5);
    // A second backward pass over the same cache (released by the first, so recomputed) gives the same gradients.
    const again = wasmBackend.gruSequenceBackward({
      forward: a,
      cache: first.cache!,
      dOutputs: null,
      dLastOutput: null,
      dState,
    });
    expect(Array.from(again.dKernel)).toEqual(Array.from(got.dKernel));
  });
});
