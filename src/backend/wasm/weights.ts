/**
 * Packed weights kept in WASM memory between calls, so a call does not copy (or repack) its weights: keyed by
 * the source buffer's identity (ArrayBuffer, byte offset, length) and the packing. Tensors never change their
 * values in place (`Variable.assign` swaps in a new array), so identity is enough; as a guard against a caller
 * that writes into a buffer anyway, a few sampled values are compared on every hit and a mismatch repacks.
 * Least-recently-used entries are freed past `limitBytes`; entries used by the current call are kept.
 */
import type { KernelExports, Kernels } from './instance.js';
import { checkBlock } from './memory.js';

const SAMPLES = 9;
const RECENT = 8;

/** A packed form of a weight buffer, for layout parameters K (rows) and U (units). */
export interface Packing {
  readonly name: string;
  bytes(K: number, U: number): number;
  pack(x: KernelExports, src: number, dst: number, K: number, U: number): void;
}

interface Entry {
  readonly packing: Packing;
  readonly K: number;
  readonly U: number;
  /** The source array last seen for this entry (the fast path compares identity). */
  array: Float32Array;
  readonly byteOffset: number;
  readonly length: number;
  ptr: number;
  readonly bytes: number;
  readonly samples: Float32Array;
  lastUse: number;
}

export class WeightCache {
  private readonly byBuffer = new Map<ArrayBufferLike, Entry[]>();
  private readonly recent: Entry[] = [];
  private total = 0;
  private clock = 0;

  constructor(
    private readonly k: Kernels,
    private readonly limitBytes = 64 * 1024 * 1024,
  ) {}

  /** Starts a kernel call: entries used from now on are not evicted until the next call starts. */
  beginCall(): void {
    this.clock++;
  }

  /** The pointer of `packing` applied to `src` (with layout parameters K, U), packed on first use. */
  get(src: Float32Array, packing: Packing, K: number, U: number): number {
    // Fast path: the same array as one of the last few hits (a streaming caller's weights).
    for (let i = 0; i < this.recent.length; i++) {
      const e = this.recent[i]!;
      if (e.array === src && e.packing === packing && e.K === K && e.U === U && e.ptr !== 0) {
        if (!samplesMatch(src, e.samples)) break;
        e.lastUse = this.clock;
        return e.ptr;
      }
    }
    const list = this.byBuffer.get(src.buffer);
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const e = list[i]!;
        if (e.packing !== packing || e.K !== K || e.U !== U || e.byteOffset !== src.byteOffset || e.length !== src.length) continue;
        if (samplesMatch(src, e.samples)) {
          e.lastUse = this.clock;
          e.array = src;
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
    this.evict(bytes);
    const x = this.k.exports;
    const staging = x.alloc(Math.max(4 * src.length, 16));
    const ptr = x.alloc(Math.max(bytes, 16));
    this.k.f32.set(src, staging >> 2);
    packing.pack(x, staging, ptr, K, U);
    x.free(staging);
    const entry: Entry = {
      packing,
      K,
      U,
      array: src,
      byteOffset: src.byteOffset,
      length: src.length,
      ptr,
      bytes,
      samples: takeSamples(src),
      lastUse: this.clock,
    };
    const list = this.byBuffer.get(src.buffer);
    if (list === undefined) this.byBuffer.set(src.buffer, [entry]);
    else list.push(entry);
    this.total += bytes;
    this.remember(entry);
    return ptr;
  }

  private evict(incoming: number): void {
    while (this.total + incoming > this.limitBytes) {
      let oldest: Entry | null = null;
      for (const list of this.byBuffer.values()) {
        for (const e of list) if (e.lastUse < this.clock && (oldest === null || e.lastUse < oldest.lastUse)) oldest = e;
      }
      if (oldest === null) return;
      this.remove(oldest);
    }
  }

  private remove(e: Entry): void {
    for (const [buffer, list] of this.byBuffer) {
      const i = list.indexOf(e);
      if (i < 0) continue;
      list.splice(i, 1);
      if (list.length === 0) this.byBuffer.delete(buffer);
      const r = this.recent.indexOf(e);
      if (r >= 0) this.recent.splice(r, 1);
      this.k.exports.free(e.ptr);
      this.total -= e.bytes;
      return;
    }
  }

  /** Frees every entry. */
  clear(): void {
    for (const list of this.byBuffer.values()) for (const e of list) this.k.exports.free(e.ptr);
    this.byBuffer.clear();
    this.recent.length = 0;
    this.total = 0;
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
