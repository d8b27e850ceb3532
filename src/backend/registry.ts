/**
 * The one piece of global state: which backend runs the kernels. Until `setBackend` chooses one, the default
 * is 'wasm' (WebAssembly SIMD kernels) where the engine has WebAssembly SIMD, else 'reference' (plain
 * TypeScript). The default is settled on the first `getBackend()` call: nothing happens on import.
 */
import { UnknownNameError } from '../errors.js';
import type { Backend } from './backend.js';
import { referenceBackend } from './reference/index.js';
import { ready as wasmReady, simdSupported, wasmBackend } from './wasm/index.js';

const backends = new Map<string, Backend>([
  [referenceBackend.name, referenceBackend],
  [wasmBackend.name, wasmBackend],
]);
let current: Backend | null = null;

export function getBackend(): Backend {
  current ??= simdSupported() ? wasmBackend : referenceBackend;
  return current;
}

/**
 * Loads the WASM kernels where WebAssembly SIMD exists; resolves to whether they are available. Node compiles
 * them synchronously on first use, so only browsers need this: their main thread refuses to compile a large
 * module synchronously, and until it resolves the 'wasm' backend runs every call on the reference kernels.
 * Never rejects.
 */
export function ready(): Promise<boolean> {
  return wasmReady();
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
