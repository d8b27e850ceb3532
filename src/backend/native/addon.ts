/**
 * The native addon (native/*.cc, built at install by native/build.mjs into native/build/keras_gru_native.node),
 * loaded on first use, in Node only, and only if it was built: anywhere else `nativeAddon()` is null and the
 * native backend delegates to the WASM one. Nothing happens on import. `KERAS_GRU_NATIVE=off` never loads it;
 * `KERAS_GRU_NATIVE=/path/to/keras_gru_native.node` loads that file.
 */

/** The addon's functions (native/napi.cc); every buffer is used in place, results are written into `out`s. */
export interface NativeAddon {
  info(): { isa: string; panel: number; maxThreads: number };
  /** Uses the best instruction set the CPU has, at most `name` ('' = the best); returns the one in use. */
  useInstructionSet(name: string): string;
  packedFloats(K: number, N: number): number;
  /**
   * The bytes of heap memory the addon holds: the scratch its kernels keep between calls (results live in the
   * caller's typed arrays). Absent from an addon built before it existed.
   */
  heldBytes?(): number;
  /** dst = src[offset + k·rsb + n·csb] (k < K, n < N) as packed panels. */
  packB(src: Float32Array, offset: number, rsb: number, csb: number, K: number, N: number, dst: Float32Array): void;
  matMul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    transposeA: boolean,
    transposeB: boolean,
  ): void;
  gruForward(
    ints: Int32Array,
    bounds: Int32Array,
    x: Float32Array,
    Wp: Float32Array,
    Rzr: Float32Array,
    Rh: Float32Array,
    bias: Float32Array | null,
    rbias: Float32Array | null,
    h0: Float32Array,
    mask: Uint8Array | null,
    out: Float32Array | null,
    last: Float32Array,
    state: Float32Array,
    cache: Float32Array | null,
  ): void;
  gruBackward(
    ints: Int32Array,
    bounds: Int32Array,
    x: Float32Array,
    cache: Float32Array,
    RT: Float32Array,
    WT: Float32Array,
    mask: Uint8Array | null,
    dOutputs: Float32Array | null,
    dLast: Float32Array | null,
    dState: Float32Array | null,
    dh: Float32Array,
    dxProj: Float32Array,
    dRecAll: Float32Array,
    dx: Float32Array,
    dKernel: Float32Array,
    dRk: Float32Array,
    dBias: Float32Array | null,
    dRBias: Float32Array | null,
  ): void;
}

const FILE = 'native/build/keras_gru_native.node';

interface NodeGlobals {
  process?: {
    env?: Record<string, string | undefined>;
    versions?: { node?: string };
    getBuiltinModule?: (id: string) => unknown;
  };
}

let loaded: NativeAddon | null | undefined;

/** The addon, loaded on the first call; null where it is absent, disabled or fails to load. */
export function nativeAddon(): NativeAddon | null {
  if (loaded === undefined) {
    try {
      loaded = load();
    } catch {
      loaded = null; // built for another Node or CPU, or removed: the WASM kernels run instead
    }
  }
  return loaded;
}

/** The addon if an earlier call loaded it, else null: never loads it. */
export function loadedNativeAddon(): NativeAddon | null {
  return loaded ?? null;
}

function load(): NativeAddon | null {
  const proc = (globalThis as NodeGlobals).process;
  const builtin = proc?.getBuiltinModule;
  if (typeof proc?.versions?.node !== 'string' || typeof builtin !== 'function') return null;
  const setting = proc.env?.KERAS_GRU_NATIVE;
  if (setting === 'off' || setting === '0') return null;
  const fs = builtin('node:fs') as typeof import('node:fs');
  const path = builtin('node:path') as typeof import('node:path');
  const file = setting !== undefined && setting !== '' ? setting : find(fs, path);
  if (file === null || !fs.existsSync(file)) return null;
  const module = builtin('node:module') as typeof import('node:module');
  const require = module.createRequire(path.join(path.dirname(file), 'loader.js'));
  return require(file) as NativeAddon;
}

/** The addon beside the package this module belongs to: up from src/backend/native/ or from dist/. */
function find(fs: typeof import('node:fs'), path: typeof import('node:path')): string | null {
  let dir = moduleDir();
  for (let up = 0; dir !== null && up < 4; up++) {
    const candidate = path.join(dir, FILE);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    dir = parent === dir ? null : parent;
  }
  return null;
}

function moduleDir(): string | null {
  // ES module (the source, dist/index.js): import.meta.url; CommonJS (dist/index.cjs): __dirname.
  const url = (import.meta as { url?: unknown }).url;
  if (typeof url === 'string' && url.startsWith('file:')) {
    const { fileURLToPath } = (globalThis as NodeGlobals).process!.getBuiltinModule!(
      'node:url',
    ) as typeof import('node:url');
    const { dirname } = (globalThis as NodeGlobals).process!.getBuiltinModule!(
      'node:path',
    ) as typeof import('node:path');
    return dirname(fileURLToPath(url));
  }
  return typeof __dirname === 'string' ? __dirname : null;
}
