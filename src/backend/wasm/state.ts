/** The WASM backend's memory-side state, created with the kernels on first use. */
import { CacheStore } from './cache.js';
import { kernels, type Kernels } from './instance.js';
import { Workspace } from './memory.js';
import { ThreadPool } from './threads.js';
import { WeightCache } from './weights.js';

export interface WasmState {
  readonly k: Kernels;
  readonly ws: Workspace;
  readonly weights: WeightCache;
  readonly caches: CacheStore;
  /** Worker threads on the kernels' memory (they start when a call first wants them). */
  readonly pool: ThreadPool;
}

let state: WasmState | null = null;

/** The state, or null while the kernels are unavailable (no SIMD, or not yet compiled in a browser). */
export function wasmState(): WasmState | null {
  if (state !== null) return state;
  const k = kernels();
  if (k === null) return null;
  state = { k, ws: new Workspace(k), weights: new WeightCache(k), caches: new CacheStore(k), pool: new ThreadPool(k) };
  return state;
}
