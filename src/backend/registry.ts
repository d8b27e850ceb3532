/**
 * The one piece of global state: which backend runs the kernels. Until `setBackend` chooses one, the default
 * is 'native' (the C++ addon) in Node where it was built at install, else 'wasm' (WebAssembly SIMD kernels)
 * where the engine has WebAssembly SIMD, else 'reference' (plain TypeScript). The default is settled on the first `getBackend()` call: nothing happens on import.
 */
import { UnknownNameError } from '../errors.js';
import type { Backend } from './backend.js';
import { nativeAvailable, nativeBackend } from './native/index.js';
import { referenceBackend } from './reference/index.js';
import { simdSupported, wasmBackend } from './wasm/index.js';

const backends = new Map<string, Backend>([
  [referenceBackend.name, referenceBackend],
  [wasmBackend.name, wasmBackend],
  [nativeBackend.name, nativeBackend],
]);
let current: Backend | null = null;

/** The backend chosen by `setBackend`, or the default; its calls may still run on another (`getBackend`). */
export function selectedBackend(): Backend {
  current ??= nativeAvailable() ? nativeBackend : simdSupported() ? wasmBackend : referenceBackend;
  return current;
}

/**
 * The backend calls run on now: the selected one once its kernels are live. Until then (a browser, before
 * `ready()` resolved) and where they cannot run, the one it delegates to: for 'wasm', the 'reference' backend;
 * for 'native' without its addon, 'wasm'.
 * Single calls the WASM kernels do not take (float64 tensors) run on the reference kernels even so.
 */
export function getBackend(): Backend {
  const selected = selectedBackend();
  return selected.runsOn?.() ?? selected;
}

/**
 * Resolves once the selected backend's kernels are live, and the worker threads that `setThreads` started are
 * ready; to whether those kernels are available (false: calls run on the reference kernels). Node compiles
 * the WASM kernels synchronously on first use; a browser's main thread refuses to compile a large module
 * synchronously, so a page awaits this once before the first call. Never rejects.
 */
export function ready(): Promise<boolean> {
  return selectedBackend().ready?.() ?? Promise.resolve(true);
}

/** Selects a registered backend by name (`'wasm'`, `'reference'`, ...). */
export function setBackend(name: string): void {
  const backend = backends.get(name);
  if (backend === undefined) {
    throw new UnknownNameError({
      argument: 'name',
      expected: `a registered backend (${[...backends.keys()].join(', ')})`,
      received: name,
      context: 'setBackend',
    });
  }
  current = backend;
}

/** Makes a backend available to `setBackend`. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

export function listBackends(): string[] {
  return [...backends.keys()];
}
