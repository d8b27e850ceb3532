/**
 * Packed weights kept in WASM memory between calls, so a call does not copy (or repack) its weights: keyed by
 * the source buffer's identity (ArrayBuffer, byte offset, length) and the packing. Tensors never change their
 * values in place (`Variable.assign` swaps in a new array), so identity is enough; as a guard against a caller
 * that writes into a buffer anyway, a few sampled values are compared on every hit and a mismatch repacks.
 * The cache holds its sources weakly: an entry is freed when its source buffer is garbage-collected, when it
 * has not been used for `maxIdleCalls` calls by the time another entry is packed, or, least recently used
 * first, past `limitBytes`; entries used by the current call are kept. The idle rule is for training loops,
 * which make new weights every step: their old weights are garbage at once, but V8 clears weak references only
 * in a full collection, which a small JS heap may not need for thousands of steps (it does not see WASM
 * memory), so without it the dead entries would pile up to `limitBytes`. Dropping an entry that is still in use
 * costs one repack on its next call.
 */
import type { KernelExports, Kernels } from './instance.js';
import { checkBlock } from './memory.js';

const SAMPLES = 9;
const RECENT = 8;
/**
 * Kernel calls an entry may go unused before a new packing drops it: a model runs one call per GRU layer (two
 * when bidirectional), so any model of fewer layers keeps its weights packed between predictions.
 */
const MAX_IDLE_CALLS = 64;

/** A packed form of a weight buffer, for layout parameters K (rows) and U (units). */
export interface Packing {
  readonly name: string;
  bytes(K: number, U: number): number;
  pack(x: KernelExports, src: number, dst: number, K: number, U: number): void;
}

interface Ref<T> {
  deref(): T | undefined;
}

const weakRef: <T extends object>(value: T) => Ref<T> =
  typeof WeakRef === 'function' ? (value) => new WeakRef(value) : (value) => ({ deref: () => value });

interface Entry {
  readonly packing: Packing;
  readonly K: number;
  readonly U: number;
  /** The source array last seen for this entry (the fast path compares identity). */
  array: Ref<Float32Array>;
  readonly byteOffset: number;
  readonly length: number;
  /** The entries of the same source buffer (this one among them). */
  readonly siblings: Entry[];
  ptr: number;
  readonly bytes: number;
  readonly samples: Float32Array;
  lastUse: number;
}

export class WeightCache {
  private readonly byBuffer = new WeakMap<ArrayBufferLike, Entry[]>();
  private readonly all = new Set<Entry>();
  private readonly recent: Entry[] = [];
  private readonly registry: FinalizationRegistry<Entry[]> | null;
  private total = 0;
  private clock = 0;

  constructor(
    private readonly k: Kernels,
    private readonly limitBytes = 64 * 1024 * 1024,
    private readonly maxIdleCalls = MAX_IDLE_CALLS,
  ) {
    this.registry =
      typeof FinalizationRegistry === 'function'
        ? new FinalizationRegistry((list) => {
            for (const e of [...list]) this.remove(e);
          })
        : null;
  }

  /** Starts a kernel call: entries used from now on are not evicted until the next call starts. */
  beginCall(): void {
    this.clock++;
  }

  /** The pointer of `packing` applied to `src` (with layout parameters K, U), packed on first use. */
  get(src: Float32Array, packing: Packing, K: number, U: number): number {
    // Fast path: the same array as one of the last few hits (a streaming caller's weights).
    for (let i = 0; i < this.recent.length; i++) {
      const e = this.recent[i]!;
      if (e.packing === packing && e.K === K && e.U === U && e.array.deref() === src) {
        if (!samplesMatch(src, e.samples)) break;
        e.lastUse = this.clock;
        return e.ptr;
      }
    }
    const list = this.byBuffer.get(src.buffer);
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const e = list[i]!;
        if (
          e.packing !== packing ||
          e.K !== K ||
          e.U !== U ||
          e.byteOffset !== src.byteOffset ||
          e.length !== src.length
        )
          continue;
        if (samplesMatch(src, e.samples)) {
          e.lastUse = this.clock;
          // A new view of the same bytes (e.g. a bias row taken with subarray on every call) needs no new WeakRef:
          // WeakRefs made in one synchronous job keep their targets alive until the job ends, so a tight loop
          // would pile them up.
          if (e.array.deref() === undefined) e.array = weakRef(src);
          this.remember(e);
          return e.ptr;
        }
        this.remove(e);
        break;
      }
    }
    return this.build(src, packing, K, U);
  }

  private remember(e: Entry): void {
    const i = this.recent.indexOf(e);
    if (i >= 0) this.recent.splice(i, 1);
    this.recent.unshift(e);
    if (this.recent.length > RECENT) this.recent.pop();
  }

  private build(src: Float32Array, packing: Packing, K: number, U: number): number {
    const bytes = packing.bytes(K, U);
    checkBlock(bytes);
    checkBlock(4 * src.length);
    this.dropIdle();
    this.evict(bytes);
    const x = this.k.exports;
    const staging = x.alloc(Math.max(4 * src.length, 16));
    const ptr = x.alloc(Math.max(bytes, 16));
    this.k.f32.set(src, staging >> 2);
    packing.pack(x, staging, ptr, K, U);
    x.free(staging);
    let siblings = this.byBuffer.get(src.buffer);
    if (siblings === undefined) {
      siblings = [];
      this.byBuffer.set(src.buffer, siblings);
      this.registry?.register(src.buffer, siblings);
    }
    const entry: Entry = {
      packing,
      K,
      U,
      array: weakRef(src),
      byteOffset: src.byteOffset,
      length: src.length,
      siblings,
      ptr,
      bytes,
      samples: takeSamples(src),
      lastUse: this.clock,
    };
    siblings.push(entry);
    this.all.add(entry);
    this.total += bytes;
    this.remember(entry);
    return ptr;
  }

  private dropIdle(): void {
    const oldest = this.clock - this.maxIdleCalls;
    for (const e of this.all) if (e.lastUse < oldest) this.remove(e);
  }

  private evict(incoming: number): void {
    while (this.total + incoming > this.limitBytes) {
      let oldest: Entry | null = null;
      for (const e of this.all)
        if (e.lastUse < this.clock && (oldest === null || e.lastUse < oldest.lastUse)) oldest = e;
      if (oldest === null) return;
      this.remove(oldest);
    }
  }

  private remove(e: Entry): void {
    if (e.ptr === 0) return;
    const i = e.siblings.indexOf(e);
    if (i >= 0) e.siblings.splice(i, 1);
    const r = this.recent.indexOf(e);
    if (r >= 0) this.recent.splice(r, 1);
    this.all.delete(e);
    this.k.exports.free(e.ptr);
    e.ptr = 0;
    this.total -= e.bytes;
  }

  /** Frees every entry. */
  clear(): void {
    for (const e of [...this.all]) this.remove(e);
  }

  get bytes(): number {
    return this.total;
  }
}

function sampleIndex(n: number, i: number): number {
  return Math.floor(((n - 1) * i) / (SAMPLES - 1));
}

function takeSamples(src: Float32Array): Float32Array {
  const s = new Float32Array(SAMPLES);
  if (src.length > 0) for (let i = 0; i < SAMPLES; i++) s[i] = src[sampleIndex(src.length, i)]!;
  return s;
}

function samplesMatch(src: Float32Array, samples: Float32Array): boolean {
  const n = src.length;
  if (n === 0) return true;
  for (let i = 0; i < SAMPLES; i++) if (src[sampleIndex(n, i)] !== samples[i]) return false;
  return true;
}
