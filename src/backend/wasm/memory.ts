/**
 * WASM memory for one kernel call: a plan of 16-byte aligned regions laid out in one reusable workspace block,
 * which only grows (so steady-state calls allocate nothing), and a parameter block for the kernels.
 */
import { WasmAbort, type Kernels } from './instance.js';

const ALIGN = 16;
/** The largest block the kernels' allocator hands out (AssemblyScript's TLSF: 2³⁰ bytes). */
export const MAX_BLOCK = 1 << 30;

/** Throws WasmAbort (the call is then delegated) for a request the allocator cannot serve. */
export function checkBlock(bytes: number): void {
  if (!(bytes <= MAX_BLOCK - 64)) throw new WasmAbort(`keras-gru: a WASM block of ${bytes} bytes is too large`);
}

/** Regions of a call, as byte offsets from the workspace base; `base` is set by `Workspace.place`. */
export class Plan {
  private size = 0;
  base = 0;

  /** Reserves `bytes` and returns the region's offset (add `base` after placing). */
  reserve(bytes: number): number {
    const offset = this.size;
    this.size += Math.ceil(bytes / ALIGN) * ALIGN;
    return offset;
  }

  /** Float32 elements. */
  floats(n: number): number {
    return this.reserve(4 * n);
  }

  get bytes(): number {
    return this.size;
  }
}

export class Workspace {
  private ptr = 0;
  private capacity = 0;
  /** 64 i32 slots for kernel parameters (see params.ts). */
  readonly params: number;
  /** Parameter blocks per thread of a split call; [0] is `params`. */
  private readonly blocks: number[];

  constructor(private readonly k: Kernels) {
    this.params = k.exports.alloc(256);
    this.blocks = [this.params];
  }

  /** Parameter block `i` (a split call gives each thread its own; 0 is `params`). */
  paramsBlock(i: number): number {
    while (this.blocks.length <= i) this.blocks.push(this.k.exports.alloc(256));
    return this.blocks[i]!;
  }

  /** Makes room for `bytes` and returns the base pointer; previous contents are not kept. */
  reserve(bytes: number): number {
    if (bytes > this.capacity) {
      checkBlock(bytes);
      const capacity = Math.min(Math.max(bytes, Math.ceil(this.capacity * 1.5), 1 << 16), MAX_BLOCK - 64);
      if (this.ptr !== 0) this.k.exports.free(this.ptr);
      this.ptr = 0;
      this.capacity = 0;
      this.ptr = this.k.exports.alloc(capacity);
      this.capacity = capacity;
    }
    return this.ptr;
  }

  /** Reserves room for the plan and sets its base pointer. */
  place(plan: Plan): number {
    plan.base = this.reserve(plan.bytes);
    return plan.base;
  }

  /** Gives the block back (e.g. after an unusually large call). */
  release(): void {
    if (this.ptr !== 0) this.k.exports.free(this.ptr);
    this.ptr = 0;
    this.capacity = 0;
  }

  get capacityBytes(): number {
    return this.capacity;
  }
}
