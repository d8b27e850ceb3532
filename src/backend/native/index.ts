/**
 * The native backend: the C++ kernels of native/ (an optional N-API addon built at install where a compiler is
 * present) behind the `Backend` interface, with AVX-512, AVX2+FMA or portable vector code chosen for the CPU
 * at load. Where the addon is absent (not built, a browser, Deno or Bun without it) every call goes to the
 * WASM backend, as `runsOn()` says; a call the kernels do not take (float64 buffers, an activation they do
 * not implement) goes to the reference backend, which defines every result.
 */
import type {
  Backend,
  GruBackwardArgs,
  GruGradients,
  GruSequenceArgs,
  GruSequenceResult,
  MatMulArgs,
} from '../backend.js';
import { referenceBackend } from '../reference/index.js';
import { wasmBackend } from '../wasm/index.js';
import { nativeAddon } from './addon.js';
import { gruSequence, gruSequenceBackward, type NativeState } from './gru.js';
import { PackedWeights } from './weights.js';

let state: NativeState | null | undefined;

/** The addon and its weight cache, on first use; null where the addon is absent. */
function native(): NativeState | null {
  if (state === undefined) {
    const addon = nativeAddon();
    state = addon === null ? null : { addon, weights: new PackedWeights(addon), maxThreads: addon.info().maxThreads };
  }
  return state;
}

/** Whether the addon is built and loads here (and so `setBackend('native')` runs native kernels). */
export function nativeAvailable(): boolean {
  return native() !== null;
}

/** The instruction set the native kernels use ('avx512', 'avx2', 'generic'), or null without the addon. */
export function nativeInstructionSet(): string | null {
  return native()?.addon.info().isa ?? null;
}

/**
 * Uses the best instruction set the CPU has, at most `name` ('avx512', 'avx2', 'generic'; '' = the best), and
 * returns the one in use (tests run every set this CPU has); null without the addon.
 */
export function useNativeInstructionSet(name: string): string | null {
  const s = native();
  if (s === null) return null;
  const isa = s.addon.useInstructionSet(name);
  state = { ...s, weights: new PackedWeights(s.addon) }; // panel widths differ between sets
  return isa;
}

export const nativeBackend: Backend = {
  name: 'native',

  runsOn: () => (native() === null ? (wasmBackend.runsOn?.() ?? wasmBackend) : nativeBackend),
  ready: () => (native() === null ? (wasmBackend.ready?.() ?? Promise.resolve(true)) : Promise.resolve(true)),
  threads: (requested) =>
    native() === null ? (wasmBackend.threads?.(requested) ?? 1) : Math.max(1, Math.min(requested, state!.maxThreads)),
  startThreads: (requested) =>
    native() === null ? (wasmBackend.startThreads?.(requested) ?? Promise.resolve()) : Promise.resolve(),

  matMul(args: MatMulArgs): void {
    const s = native();
    if (s === null) return wasmBackend.matMul(args);
    const { a, b, out, m, k, n } = args;
    if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) {
      return referenceBackend.matMul(args);
    }
    if (m === 0 || n === 0) return;
    if (k === 0) {
      out.fill(0, 0, m * n);
      return;
    }
    s.addon.matMul(a, b, out, m, k, n, args.transposeA, args.transposeB);
  },

  gruSequence(args: GruSequenceArgs): GruSequenceResult {
    const s = native();
    if (s === null) return wasmBackend.gruSequence(args);
    return gruSequence(s, args) ?? referenceBackend.gruSequence(args);
  },

  gruSequenceBackward(args: GruBackwardArgs): GruGradients {
    const s = native();
    // A cache another backend made goes back to it (the WASM backend hands reference caches on).
    if (s === null || args.cache.backend !== 'native') return wasmBackend.gruSequenceBackward(args);
    const grads = gruSequenceBackward(s, args);
    if (grads !== null) return grads;
    const cache = referenceBackend.gruSequence({ ...args.forward, saveForBackward: true }).cache!;
    return referenceBackend.gruSequenceBackward({ ...args, cache });
  },
};
