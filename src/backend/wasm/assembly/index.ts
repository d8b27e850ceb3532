// The WebAssembly SIMD kernels (AssemblyScript). Built by `npm run build:wasm` (scripts/build-wasm.ts) into
// src/backend/wasm/generated/; the host side is src/backend/wasm/*.ts. All sizes are in elements, all pointers
// byte offsets into this module's memory; memory is allocated by the host through alloc/free.

export { gemm, gemmScratchBytes, packB } from './gemm';
export { activateInto } from './activations';
export { gruForward } from './gru-forward';
export { gruBackwardSteps, gruBackwardWeights } from './gru-backward';
export { packGated, packGatedTransposed, padGates } from './gru-layout';

/** A 16-byte aligned block of at least `size` bytes (the memory grows as needed). */
export function alloc(size: usize): usize {
  return heap.alloc(size);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}
