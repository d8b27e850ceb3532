/**
 * Packed weights kept between native calls, so a streaming caller's step does not repack its recurrent kernel
 * every call: keyed weakly by the source array (an entry goes when its weights are garbage-collected; a
 * training loop makes new weight arrays every step) and the packing. Tensors never change their values in
 * place (`Variable.assign` swaps in a new array), so identity is enough; as a guard against a caller that
 * writes into a buffer anyway, a few sampled values are compared on every hit and a mismatch repacks.
 */
import type { NativeAddon } from './addon.js';

/** How a [rows, cols] row-major weight becomes the B operand of the addon's GEMM (native/gemm.cc). */
export interface Packing {
  readonly name: string;
  /** Where element (k, n) of the operand is: src[offset + k·rsb + n·csb], for a weight with `units` U. */
  layout(U: number, K: number): { offset: number; rsb: number; csb: number; K: number; N: number };
}

/** kernel [I, 3U] as the input projection's operand (K = I, N = 3U). */
export const INPUT_KERNEL: Packing = {
  name: 'W',
  layout: (U, I) => ({ offset: 0, rsb: 3 * U, csb: 1, K: I, N: 3 * U }),
};
/** recurrent kernel [U, 3U], columns z|r (K = U, N = 2U). */
export const RECURRENT_ZR: Packing = {
  name: 'Rzr',
  layout: (U) => ({ offset: 0, rsb: 3 * U, csb: 1, K: U, N: 2 * U }),
};
/** recurrent kernel [U, 3U], columns h (K = U, N = U). */
export const RECURRENT_H: Packing = {
  name: 'Rh',
  layout: (U) => ({ offset: 2 * U, rsb: 3 * U, csb: 1, K: U, N: U }),
};
/** recurrent kernel transposed, [3U, U] (backward). */
export const RECURRENT_T: Packing = { name: 'RT', layout: (U) => ({ offset: 0, rsb: 1, csb: 3 * U, K: 3 * U, N: U }) };
/** kernel transposed, [3U, I] (backward: dx). */
export const INPUT_KERNEL_T: Packing = {
  name: 'WT',
  layout: (U, I) => ({ offset: 0, rsb: 1, csb: 3 * U, K: 3 * U, N: I }),
};

const SAMPLES = 7;

interface Entry {
  readonly packed: Float32Array;
  readonly samples: Float32Array;
}

function sample(src: Float32Array): Float32Array {
  const out = new Float32Array(SAMPLES);
  const n = src.length;
  for (let i = 0; i < SAMPLES; i++) out[i] = src[Math.floor((i * (n - 1)) / (SAMPLES - 1))]!;
  return out;
}

function same(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

export class PackedWeights {
  private readonly bySource = new WeakMap<Float32Array, Map<string, Entry>>();

  constructor(private readonly addon: NativeAddon) {}

  /** `src` (a weight of a layer with U units and K input rows) packed by `packing`. */
  get(src: Float32Array, packing: Packing, U: number, K: number): Float32Array {
    const key = `${packing.name}:${U}:${K}`;
    let entries = this.bySource.get(src);
    const hit = entries?.get(key);
    if (hit !== undefined && same(hit.samples, sample(src))) return hit.packed;
    const l = packing.layout(U, K);
    const packed = new Float32Array(this.addon.packedFloats(l.K, l.N));
    this.addon.packB(src, l.offset, l.rsb, l.csb, l.K, l.N, packed);
    if (entries === undefined) {
      entries = new Map();
      this.bySource.set(src, entries);
    }
    entries.set(key, { packed, samples: sample(src) });
    return packed;
  }
}
