/**
 * The WebAssembly kernel module: feature detection, lazy instantiation, and the host's view of its memory.
 * Nothing happens on import. `simdSupported()` validates a 40-byte module; `kernels()` instantiates the module
 * synchronously on first use (fine in Node; browsers refuse synchronous compiles of large modules on the main
 * thread, so they call `ready()` first). Where neither works, `kernels()` returns null and the backend
 * delegates to the reference kernels.
 *
 * The module imports its memory. Where SharedArrayBuffer exists, that memory is shared, and worker threads
 * (threads.ts) instantiate the same module on it; elsewhere it is an ordinary memory and every call runs on the
 * calling thread.
 */
import { relaxedWasm, simdWasm } from './generated/kernels.js';
import { memoryImport, unshared } from './memory-import.js';

/** The module's exports (src/backend/wasm/assembly/index.ts). Pointers are byte offsets, sizes elements. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  gemm(
    M: number,
    N: number,
    K: number,
    a: number,
    lda: number,
    transA: number,
    bp: number,
    bK: number,
    k0: number,
    c: number,
    ldc: number,
    accumulate: number,
    apack: number,
    bias: number,
    d: number,
    ldd: number,
    dN: number,
  ): void;
  gemmScratchBytes(): number;
  packB(src: number, ldb: number, transB: number, K: number, N: number, dst: number): void;
  packGated(w: number, K: number, U: number, dst: number): void;
  packGatedTransposed(w: number, N: number, U: number, dst: number): void;
  padGates(src: number, U: number, dst: number): void;
  activateInto(kind: number, src: number, dst: number, n: number): void;
  gruForward(params: number): void;
  gruBackwardSteps(params: number): void;
  gruBackwardWeights(params: number): void;
}

/** The instantiated module and typed views of its memory (renewed when the memory grows). */
export class Kernels {
  readonly exports: KernelExports;
  /** The compiled module (worker threads instantiate it on the same memory). */
  readonly module: WebAssembly.Module;
  /** Whether the memory is shared (a SharedArrayBuffer), so worker threads can run kernels on it. */
  readonly shared: boolean;
  /** Whether this is the relaxed-SIMD build (fused multiply-add in the GEMM). */
  readonly relaxed: boolean;
  readonly gemmScratchBytes: number;
  /** The blocks allocated through `exports.alloc` and not yet freed: pointer → requested bytes. */
  private readonly blocks = new Map<number, number>();
  private live = 0;
  private stale = true;
  private f32View = new Float32Array(0);
  private u8View = new Uint8Array(0);
  private i32View = new Int32Array(0);

  constructor(instance: WebAssembly.Instance, module: WebAssembly.Module, shared: boolean, relaxed: boolean) {
    const raw = instance.exports as unknown as KernelExports;
    // The memory grows only inside `alloc`, so the views are renewed after allocations. (A shared memory's old
    // buffer is not detached when it grows, and reading `memory.buffer` on every access costs a call into the
    // engine.)
    this.exports = Object.freeze({
      ...raw,
      alloc: (size: number): number => {
        const ptr = raw.alloc(size);
        this.stale = true;
        this.live += size;
        this.blocks.set(ptr, size);
        return ptr;
      },
      free: (ptr: number): void => {
        raw.free(ptr);
        this.live -= this.blocks.get(ptr) ?? 0;
        this.blocks.delete(ptr);
      },
    });
    this.module = module;
    this.shared = shared;
    this.relaxed = relaxed;
    this.gemmScratchBytes = this.exports.gemmScratchBytes();
  }

  /**
   * The bytes allocated in the memory and not freed, as requested (the allocator's headers aside). Only the
   * calling thread allocates (worker threads never do), so this counts every block.
   */
  get liveBytes(): number {
    return this.live;
  }

  get liveBlocks(): number {
    return this.blocks.size;
  }

  private refresh(): void {
    if (this.stale) {
      const buffer = this.exports.memory.buffer;
      this.f32View = new Float32Array(buffer);
      this.u8View = new Uint8Array(buffer);
      this.i32View = new Int32Array(buffer);
      this.stale = false;
    }
  }

  /** The whole memory as float32 (index = byte pointer / 4). Valid until the next allocation. */
  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }
  get u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }
  get i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }
}

// (module (func (result v128) (v128.const i64x2 0 0)))
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b,
]);

let simd: boolean | null = null;

/** Whether this engine has WebAssembly with 128-bit SIMD. */
export function simdSupported(): boolean {
  if (simd === null) {
    try {
      simd = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simd = false;
    }
  }
  return simd;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

interface Binary {
  bytes: Uint8Array<ArrayBuffer>;
  relaxed: boolean;
  memory: WebAssembly.Memory;
  shared: boolean;
}

/**
 * The relaxed-SIMD build where the engine validates it (Node 20 only behind a flag), else plain SIMD, and a new
 * memory for it: shared where the engine can share memory, else the binary with its import made unshared.
 */
function pickBinary(): Binary {
  let bytes = decode(relaxedWasm);
  let relaxed = true;
  try {
    if (!WebAssembly.validate(bytes)) relaxed = false;
  } catch {
    relaxed = false;
  }
  if (!relaxed) bytes = decode(simdWasm);
  const limits = memoryImport(bytes);
  if (limits === null)
    throw new Error('keras-gru: the WASM kernels import no memory (rebuild them: npm run build:wasm)');
  const { initial, maximum } = limits;
  if (typeof SharedArrayBuffer === 'function') {
    try {
      const memory = new WebAssembly.Memory({ initial, maximum: maximum ?? 65536, shared: true });
      if (memory.buffer instanceof SharedArrayBuffer) return { bytes, relaxed, memory, shared: true };
    } catch {
      // no shared memory here: an ordinary one below
    }
  }
  return {
    bytes: unshared(bytes, limits),
    relaxed,
    memory: new WebAssembly.Memory({ initial, maximum }),
    shared: false,
  };
}

function importsFor(memory: WebAssembly.Memory): WebAssembly.Imports {
  return { env: { memory, abort } };
}

/** Raised inside a kernel when its allocator fails (the memory cannot grow); the backend then delegates. */
export class WasmAbort extends Error {
  override readonly name = 'WasmAbort';
}

function abort(_msg: number, _file: number, line: number, column: number): never {
  throw new WasmAbort(`keras-gru WASM kernel aborted (line ${line}, column ${column}): out of memory?`);
}

let instance: Kernels | null = null;
let failed = false;
let syncRefused = false;
let pending: Promise<Kernels | null> | null = null;

/** The kernels if something instantiated them already, else null: never instantiates them. */
export function loadedKernels(): Kernels | null {
  return instance;
}

/**
 * The kernels, instantiated synchronously on first call; null where WebAssembly SIMD is unavailable, and
 * while an engine that refuses synchronous compiles (a browser's main thread) compiles them asynchronously,
 * which the first refusal starts.
 */
export function kernels(): Kernels | null {
  if (instance !== null || failed || syncRefused) return instance;
  if (!simdSupported()) {
    failed = true;
    return null;
  }
  try {
    const { bytes, relaxed, memory, shared } = pickBinary();
    const module = new WebAssembly.Module(bytes);
    instance = new Kernels(new WebAssembly.Instance(module, importsFor(memory)), module, shared, relaxed);
  } catch {
    syncRefused = true;
    void ready();
  }
  return instance;
}

/**
 * Compiles and instantiates the kernels asynchronously (browsers should await this once before the first
 * call). Resolves to whether the WASM kernels are available; never rejects.
 */
export function ready(): Promise<boolean> {
  if (instance !== null) return Promise.resolve(true);
  if (failed || !simdSupported()) return Promise.resolve(false);
  pending ??= (async () => {
    try {
      const { bytes, relaxed, memory, shared } = pickBinary();
      const { module, instance: inst } = await WebAssembly.instantiate(bytes, importsFor(memory));
      instance ??= new Kernels(inst, module, shared, relaxed);
    } catch {
      failed = true;
    }
    return instance;
  })();
  return pending.then((k) => k !== null);
}
