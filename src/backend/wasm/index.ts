/**
 * The WebAssembly SIMD backend: the kernels of src/backend/wasm/assembly behind the `Backend` interface. A call
 * the kernels do not take (float64 buffers, an activation without a native kernel) or cannot run (no
 * WebAssembly SIMD, module not yet compiled in a browser, memory exhausted) is delegated to the reference
 * backend, which defines every result.
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
import { gruSequence, gruSequenceBackward } from './gru.js';
import { WasmAbort, ready as kernelsReady, simdSupported } from './instance.js';
import { matMul } from './matmul.js';
import { wasmState } from './state.js';

export { simdSupported };

/** The last `startThreads`, which `ready()` waits for too. */
let starting: Promise<void> = Promise.resolve();

/** Resolves once the kernels are live (compiled, in a browser) and started workers are ready; to whether the kernels are. */
async function ready(): Promise<boolean> {
  const live = await kernelsReady();
  await starting;
  await wasmState()?.pool.settled();
  return live;
}

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

  runsOn: () => (wasmState() === null ? referenceBackend : wasmBackend),
  ready,
  threads: (requested) => wasmState()?.pool.usable(requested) ?? 1,

  startThreads(requested: number): Promise<void> {
    starting = (async () => {
      if (!(await kernelsReady())) return;
      await wasmState()?.pool.prepare(requested);
    })().catch(() => undefined); // a worker that fails to start leaves fewer threads, not an error
    return starting;
  },

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
