/**
 * What the kernels hold outside the JS heap, so a long run can check it stays flat (bench/memory.ts,
 * test/models/long-run.test.ts). Tensors' own values are ordinary typed arrays (`process.memoryUsage()`'s
 * `arrayBuffers`); this reports the rest. Reading it starts nothing: a backend not yet used reports null.
 */
import { loadedNativeAddon } from './native/addon.js';
import { loadedKernels } from './wasm/instance.js';

export interface BackendMemory {
  /**
   * The WASM kernels' linear memory: `memoryBytes` its size (WebAssembly memory grows and never shrinks),
   * `liveBytes` and `liveBlocks` what is allocated in it and not yet freed (workspace, packed weights, forward
   * caches kept for a backward call). Null until the kernels are instantiated.
   */
  readonly wasm: { readonly memoryBytes: number; readonly liveBytes: number; readonly liveBlocks: number } | null;
  /**
   * The native addon's heap memory (its kernels' scratch, kept between calls; packed weights are typed arrays
   * and count as `arrayBuffers`). Null until the addon is loaded, or for an addon built without the counter.
   */
  readonly native: { readonly heldBytes: number } | null;
}

/** The bytes the WASM and native kernels hold now. */
export function backendMemory(): BackendMemory {
  const k = loadedKernels();
  const addon = loadedNativeAddon();
  return {
    wasm:
      k === null
        ? null
        : { memoryBytes: k.exports.memory.buffer.byteLength, liveBytes: k.liveBytes, liveBlocks: k.liveBlocks },
    native: typeof addon?.heldBytes === 'function' ? { heldBytes: addon.heldBytes() } : null,
  };
}
