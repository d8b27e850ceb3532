/**
 * The WebAssembly SIMD backend: the kernels of src/backend/wasm/assembly behind the `Backend` interface. A call
 * the kernels do not take (float64 buffers, an activation without a native kernel) or cannot run (no
 * WebAssembly SIMD, module not yet compiled in a browser, memory exhausted) is delegated to the reference
 * backend, which defines every result.
 */
import type { Backend, GruBackwardArgs, GruGradients, GruSequenceArgs, GruSequenceResult, MatMulArgs } from '../backend.js';
import { referenceBackend } from '../reference/index.js';
import { gruSequence, gruSequenceBackward } from './gru.js';
import { WasmAbort, ready, simdSupported } from './instance.js';
import { matMul } from './matmul.js';
import { wasmState } from './state.js';

export { ready, simdSupported };

function attempt<R>(run: () => R | null): R | null {
  try {
    return run();
  } catch (e) {
    // Out of memory (the allocator aborted, or the memory could not grow: a trap before the allocator changed
    // anything): this call runs on the reference kernels.
    if (e instanceof WasmAbort || e instanceof RangeError || e instanceof WebAssembly.RuntimeError) return null;
    throw e;
  }
}

export const wasmBackend: Backend = {
  name: 'wasm',

  matMul(args: MatMulArgs): void {
    const s = wasmState();
    if (s === null || attempt(() => matMul(s, args) || null) === null) referenceBackend.matMul(args);
  },

  gruSequence(args: GruSequenceArgs): GruSequenceResult {
    const s = wasmState();
    const result = s === null ? null : attempt(() => gruSequence(s, args));
    return result ?? referenceBackend.gruSequence(args);
  },

  gruSequenceBackward(args: GruBackwardArgs): GruGradients {
    if (args.cache.backend !== 'wasm') return referenceBackend.gruSequenceBackward(args);
    const s = wasmState();
    const grads = s === null ? null : attempt(() => gruSequenceBackward(s, args));
    if (grads !== null) return grads;
    // The kernels could not run: redo the forward pass on the reference backend for its cache.
    const cache = referenceBackend.gruSequence({ ...args.forward, saveForBackward: true }).cache!;
    return referenceBackend.gruSequenceBackward({ ...args, cache });
  },
};
